"""Throughput: trafilatura alone vs pagefilter at 1 worker and at all cores, in one run.

    python benchmarks/throughput.py [--pages 2000] [--workers N]

The fixture pages are repeated to --pages records in a JSONL file; each contender runs in its
own child process over the same records, so peak memory (ru_maxrss) is measured per process.
Prints pages/s, the pagefilter/trafilatura ratio at 1 worker, the multi-core speed-up and the
peak memory per worker. Machines are noisy: read the ratios, not the absolute numbers.

Two trafilatura baselines: ``extract`` as users call it (text out, no metadata), and the
extraction pagefilter itself runs (``bare_extraction`` with links and metadata, through
pagefilter's parse step). The second ratio is the classifier's cost alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_input(n: int, path: Path) -> None:
    pages = sorted((ROOT / "fixtures" / "pages").glob("*.html"))
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            page = pages[i % len(pages)]
            out.write(json.dumps({"id": f"{i}", "url": f"https://example.org/{page.stem}/{i}",
                                  "html": page.read_text(encoding="utf-8")}) + "\n")


def child(mode: str, path: str, workers: int) -> None:
    """Run one contender over the records and print its figures as JSON."""
    sys.path.insert(0, str(ROOT))
    from filter.readers import read_inputs

    records = read_inputs([path])
    start = time.perf_counter()
    n = 0
    if mode == "trafilatura":
        import trafilatura

        for record in records:
            trafilatura.extract(record.html, url=record.url)
            n += 1
    elif mode == "parse":
        from filter.parse import parse_page

        for record in records:
            parse_page(record.html, record.url)
            n += 1
    else:
        from filter.batch import BatchOptions, clean_records

        for _ in clean_records(records, BatchOptions(timeout=0), workers):
            n += 1
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"pages": n, "seconds": seconds, "peak_mb_main": own, "peak_mb_worker": kids}))


def run(mode: str, path: Path, workers: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path), str(workers)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pages.jsonl"
        make_input(args.pages, path)
        traf = run("trafilatura", path, 1)
        parse = run("parse", path, 1)
        one = run("pagefilter", path, 1)
        many = run("pagefilter", path, args.workers)
    rate = {k: v["pages"] / v["seconds"] for k, v in (("traf", traf), ("parse", parse), ("one", one), ("many", many))}
    print(f"pages: {args.pages} (the {len(list((ROOT / 'fixtures' / 'pages').glob('*.html')))} fixture pages repeated)")
    print(f"trafilatura alone (extract), 1 process : {rate['traf']:7.1f} pages/s")
    print(f"pagefilter's extraction only (parse)   : {rate['parse']:7.1f} pages/s   "
          f"(bare_extraction with links and metadata, then segmentation)")
    print(f"pagefilter, 1 worker                   : {rate['one']:7.1f} pages/s   "
          f"peak {one['peak_mb_main']:.0f} MB")
    print(f"pagefilter, {args.workers} workers                  : {rate['many']:7.1f} pages/s   "
          f"peak per worker {many['peak_mb_worker']:.0f} MB")
    print(f"ratio pagefilter/trafilatura at 1 worker: {rate['one'] / rate['traf']:.2f}  (target >= 0.85)")
    print(f"ratio pagefilter/its own extraction     : {rate['one'] / rate['parse']:.2f}  "
          f"(the classifier's share: {1 - rate['one'] / rate['parse']:.0%} of a page's time)")
    print(f"speed-up 1 -> {args.workers} workers: {rate['many'] / rate['one']:.2f}x  "
          f"(target >= {0.9 * args.workers:.1f}x)")


if __name__ == "__main__":
    main()
