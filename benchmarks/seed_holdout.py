"""The seed pages left out of training, over several training seeds.

    python benchmarks/seed_holdout.py [--seeds 5] [--workers 2] [--fixtures fixtures/pages]

For each seed page (``tests/test_seeds.py``'s) and each training seed, a model is trained on
every other fixture page (fixtures only, no reference corpus) and judges the left-out page.
Prints, per run, the body paragraphs lost and the junk paragraphs kept, with the label and
score the model gave them, then the totals.

Why several training seeds: the lines that go wrong are short or end-of-article lines next
to junk, and whether each one crosses the keep threshold moves with the random seed of
training. One run cannot show that a change helps; the spread over seeds can.
A run trains a full model (about 20 seconds); ``--seeds 5`` with two workers takes ~2 minutes.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from threadpoolctl import threadpool_limits  # noqa: E402

from filter.clean import PageFilter  # noqa: E402
from filter.labels import BODY  # noqa: E402
from filter.train import fit_model, load_labelled  # noqa: E402

SEED_PAGES = ("ja_seed000_blog", "ja_seed001_aggregator")


def holdout(fixtures: Path, page: str, random_state: int) -> dict:
    """One run: train without ``page``, judge it; the misjudged paragraphs.

    One OpenMP thread per run: the runs are the parallelism. Two processes each spinning two
    OpenMP threads on two cores made a run take over four minutes instead of 17 seconds."""
    with threadpool_limits(1):
        return _holdout(fixtures, page, random_state)


def _holdout(fixtures: Path, page: str, random_state: int) -> dict:
    pages = load_labelled(fixtures)
    left_out = next(p for p in pages if p.name == page)
    bundle = fit_model([p for p in pages if p.name != page], random_state=random_state)
    judged = PageFilter(bundle).classify(left_out.page)
    wrong = [{"truth": label, "label": p.label, "score": round(p.score, 2), "text": p.text[:60]}
             for label, p in zip(left_out.labels, judged) if (label == BODY) != p.kept]
    return {"page": page, "seed": random_state, "body": sum(label == BODY for label in left_out.labels),
            "junk": sum(label != BODY for label in left_out.labels),
            "lost": sum(w["truth"] == BODY for w in wrong), "kept_junk": sum(w["truth"] != BODY for w in wrong),
            "wrong": wrong}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures" / "pages")
    parser.add_argument("--seeds", type=int, default=5, help="Training seeds 0 .. N-1.")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    jobs = [(args.fixtures, page, seed) for seed in range(args.seeds) for page in SEED_PAGES]
    totals = {page: {"lost": [], "kept_junk": []} for page in SEED_PAGES}
    with ProcessPoolExecutor(args.workers) as pool:
        for run in pool.map(holdout, *zip(*jobs)):
            print(f"{run['page']} seed {run['seed']}: lost {run['lost']} of {run['body']} body, "
                  f"kept {run['kept_junk']} of {run['junk']} junk", flush=True)
            for w in run["wrong"]:
                print(f"    {w['truth']:>20} -> {w['label']:<20} {w['score']:.2f}  {w['text']!r}", flush=True)
            totals[run["page"]]["lost"].append(run["lost"])
            totals[run["page"]]["kept_junk"].append(run["kept_junk"])
    for page, t in totals.items():
        print(f"{page}: body lost {', '.join(map(str, t['lost']))} (total {sum(t['lost'])}); "
              f"junk kept {', '.join(map(str, t['kept_junk']))} (total {sum(t['kept_junk'])})")


if __name__ == "__main__":
    main()
