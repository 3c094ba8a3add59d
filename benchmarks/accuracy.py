"""Accuracy on real pages: pagefilter next to trafilatura and the open-source extractors.

    python benchmarks/accuracy.py [--wcxb ../shared/data/wcxb-dev] [--limit N] [--out benchmarks/results]

Data: the WCXB development split (real pages, human-reviewed main content). It is cut once,
by a hash of each page's domain, into a fixed training part (TRAIN_SHARE of the domains)
and a validation part; pagefilter is trained on the labelled fixtures plus the training
part and every figure is measured on the validation part only, so no page, and no site, that
is reported was trained or tuned on. Every extractor runs on the same validation pages.

Metrics (WCXB's own): word-level precision, recall and F1 per page (lower-case ``\\w+``
tokens as a multiset), then the mean; the share of ``with`` snippets kept and of
``without`` snippets leaked; per page type; and pages/s of the extraction call.

The same figures on the labelled fixtures (body kept, junk leaked per label, duplicates
left, word F1 next to trafilatura's own extraction) are the grouped cross-validation that
``pagefilter train`` ran and stored in the model (``bundle.info["cv"]``): each fixture page
scored by a model that never saw it.

Writes ``accuracy.md`` (the table the README links to) and ``accuracy.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from filter.metrics import mean, word_prf, word_tokens  # noqa: E402
from filter.reference import (ReferencePage, in_training_part, iter_wcxb, labelled_reference_pages,  # noqa: E402
                              reference_labels, training_part_ids)


def contains(text_tokens: str, snippet: str) -> bool:
    tokens = " ".join(word_tokens(snippet))
    return bool(tokens) and f" {tokens} " in text_tokens


def extractors(model_path: Path) -> dict[str, Callable[[ReferencePage], str]]:
    import trafilatura

    def traf(**kw):
        return lambda html, url: trafilatura.extract(html, url=url, **kw) or ""

    def readability(html, url):
        from lxml import html as lhtml
        from readability import Document

        summary = Document(html.decode("utf-8", "replace")).summary(html_partial=True)
        return "\n".join(t.strip() for t in lhtml.fromstring(summary).itertext() if t.strip())

    def justext_(html, url):
        import justext

        paragraphs = justext.justext(html, justext.get_stoplist("English"))
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    def resiliparse(html, url):
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        return extract_plain_text(HTMLTree.parse(html.decode("utf-8", "replace")), main_content=True)

    def boilerpy(html, url):
        from boilerpy3 import extractors as bp

        return bp.ArticleExtractor(raise_on_failure=False).get_content(html.decode("utf-8", "replace"))

    from filter import PageFilter

    page_filter = PageFilter(model_path, trust_model=True)

    def pagefilter(html, url):
        return page_filter.clean(html, url).text

    peers = {"pagefilter": pagefilter, "trafilatura (default)": traf(),
             "trafilatura (favor_precision)": traf(favor_precision=True),
             "trafilatura (favor_recall)": traf(favor_recall=True), "readability-lxml": readability,
             "jusText": justext_, "resiliparse (main_content)": resiliparse, "boilerpy3 (Article)": boilerpy}
    runs: dict[str, Callable[[ReferencePage], str]] = {
        name: (lambda run: lambda ref: run(ref.html, ref.url))(run) for name, run in peers.items()}

    # Two bounds, not contenders: pagefilter's blocks all kept, and the blocks the reference
    # calls body (the alignment rule of filter/reference.py) -- what a perfect classifier
    # over trafilatura's extraction would keep.
    def all_blocks(ref):
        return "\n".join(b.text for b in page_filter.parse(ref.html, ref.url).blocks)

    def oracle(ref):
        page = page_filter.parse(ref.html, ref.url)
        labels = reference_labels(page, ref.truth.get("main_content") or "")
        return "\n".join(b.text for b, label in zip(page.blocks, labels) if label == "body")

    runs["bound: every pagefilter block kept"] = all_blocks
    runs["bound: oracle choice of pagefilter blocks"] = oracle
    return runs


def train_model(wcxb: Path, out: Path) -> Path:
    from filter.model import save_model
    from filter.train import fit_model, load_labelled

    pages = load_labelled(ROOT / "fixtures") + labelled_reference_pages(wcxb, training_part_ids(wcxb))
    path = out / "benchmark-model.joblib"
    save_model(fit_model(pages, info={"benchmark": "fixtures + WCXB dev training part"}), path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wcxb", type=Path, default=ROOT.parent / "shared" / "data" / "wcxb-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--model", type=Path, help="Measure this model instead of training one "
                        "(it must not have seen the validation part).")
    parser.add_argument("--limit", type=int, help="Only the first N validation pages (a quick look).")
    parser.add_argument("--only", action="append", help="Run only the extractors whose name starts with "
                        "this (repeatable), e.g. --only pagefilter --only 'trafilatura (default)'.")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    model = args.model or train_model(args.wcxb, args.out)
    runs = extractors(model)
    if args.only:
        runs = {name: run for name, run in runs.items() if any(name.startswith(o) for o in args.only)}
    scores: dict[str, list[dict]] = defaultdict(list)
    seconds: dict[str, float] = defaultdict(float)
    n = 0
    for ref in iter_wcxb(args.wcxb):
        if in_training_part(ref.domain):
            continue
        if args.limit and n >= args.limit:
            break
        n += 1
        truth = ref.truth
        for name, run in runs.items():
            start = time.perf_counter()
            try:
                text = run(ref)
            except Exception:  # a peer that crashes on a page scores zero there
                text = ""
            seconds[name] += time.perf_counter() - start
            p, r, f = word_prf(text, truth.get("main_content") or "")
            joined = " " + " ".join(word_tokens(text)) + " "
            with_ = truth.get("with") or []
            without = truth.get("without") or []
            scores[name].append({"type": ref.page_type, "p": p, "r": r, "f1": f,
                                 "with_kept": sum(contains(joined, s) for s in with_), "with_n": len(with_),
                                 "without_leaked": sum(contains(joined, s) for s in without),
                                 "without_n": len(without)})
    report = summarize(scores, seconds, n)
    cv = fixture_cv(model)
    (args.out / "accuracy.json").write_text(json.dumps({"wcxb": report, "fixtures_cv": cv}, indent=1))
    table = markdown(report, n) + fixtures_markdown(cv)
    (args.out / "accuracy.md").write_text(table)
    print(table)


def summarize(scores: dict[str, list[dict]], seconds: dict[str, float], n: int) -> dict:
    report = {}
    for name, rows in scores.items():
        types = sorted({r["type"] for r in rows})
        report[name] = {
            "f1": mean(r["f1"] for r in rows), "precision": mean(r["p"] for r in rows),
            "recall": mean(r["r"] for r in rows),
            "with_kept": sum(r["with_kept"] for r in rows) / max(1, sum(r["with_n"] for r in rows)),
            "without_leaked": sum(r["without_leaked"] for r in rows) / max(1, sum(r["without_n"] for r in rows)),
            "pages_per_s": n / seconds[name] if seconds[name] else 0.0,
            "by_type": {t: mean(r["f1"] for r in rows if r["type"] == t) for t in types},
            "pages_by_type": {t: sum(1 for r in rows if r["type"] == t) for t in types},
        }
    return report


def fixture_cv(model_path: Path) -> dict | None:
    """The grouped cross-validation on the fixtures that training stored in the model."""
    from filter.model import load_model

    return load_model(model_path, trust=True).info.get("cv")


def fixtures_markdown(cv: dict | None) -> str:
    if not cv:
        return "\nNo fixture cross-validation is stored in this model (train it with `--cv`).\n"
    keep = cv["keep"]
    lines = ["", f"## On the labelled fixtures ({cv['pages']} pages, {cv['blocks']} paragraphs; grouped "
             "cross-validation stored by `pagefilter train`)", "",
             "| | pagefilter | trafilatura alone (every extracted paragraph) |", "|---|---|---|",
             f"| body paragraphs kept | {keep['body_kept']:.3f} of {keep['n_body']} | 1.000 |",
             f"| junk paragraphs leaked | {keep['junk_leaked']:.3f} of {keep['n_junk']} | 1.000 |",
             f"| duplicates left | {cv['duplicates_left']} | {cv['labels'].get('duplicate', {}).get('support', 0):.0f} |",
             f"| word F1 against the labelled body (mean per page) | {cv['word_f1']:.3f} | {cv['word_f1_keep_all']:.3f} |",
             "", "Junk leaked by label: " + ", ".join(f"{k.split(':', 1)[1]} {v:.3f}" for k, v in keep.items()
                                                    if k.startswith("leaked:")) + "."]
    return "\n".join(lines) + "\n"


def markdown(report: dict, n: int) -> str:
    names = list(report)
    types = list(next(iter(report.values()))["by_type"]) if report else []
    lines = [f"# Accuracy on WCXB dev, validation part ({n} pages; sites never seen in training)", "",
             "| extractor | word F1 | precision | recall | `with` kept | `without` leaked | pages/s |",
             "|---|---|---|---|---|---|---|"]
    for name in names:
        r = report[name]
        lines.append(f"| {name} | {r['f1']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['with_kept']:.3f} "
                     f"| {r['without_leaked']:.3f} | {r['pages_per_s']:.1f} |")
    counts = next(iter(report.values()))["pages_by_type"] if report else {}
    lines += ["", "Word F1 by page type:", "", "| extractor | " + " | ".join(f"{t} ({counts[t]})" for t in types) + " |",
              "|---|" + "---|" * len(types)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{report[name]['by_type'][t]:.3f}" for t in types) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
