"""Clean HTML files with Ray Data: read_binary_files -> CleanBatch actors -> JSON lines.

    pip install 'pagefilter[ray]'
    python examples/ray_data_pages.py fixtures/pages out/ --workers 2             # a local Ray
    python examples/ray_data_pages.py s3://bucket/crawl/ s3://bucket/clean/ --address auto --workers 64

Each of the ``--workers`` actors loads the model once and cleans batches of pages; rows come
out in no particular order, one per page. ``out/`` gets JSON-lines files whose rows are
pagefilter's output records with ``metadata`` and ``paragraphs`` as JSON strings
(``filter.integrations.ray.row_to_record`` turns a row back into the CLI's record).

On a multi-node cluster the same script runs unchanged with ``--address`` (``auto`` on a
node of the cluster, or ``ray://head:10001`` from outside), as long as the input and output
paths are reachable from every node (s3://, gs://, a shared disk).
"""

from __future__ import annotations

import argparse
import inspect
import os

import ray

from filter import BatchOptions
from filter.integrations.ray import CleanBatch


def local_path(path: str) -> str:
    # Workers may run in another directory: give Ray absolute local paths.
    return path if "://" in path else os.path.abspath(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="folder or file(s) of HTML pages (local, s3://…)")
    parser.add_argument("output", help="output folder for the JSON-lines files")
    parser.add_argument("--extension", default="html", help="file extension of the pages")
    parser.add_argument("--workers", type=int, default=2, help="CleanBatch actors (one CPU each)")
    parser.add_argument("--batch-size", type=int, default=16, help="pages per batch")
    parser.add_argument("--address", default=None, help="Ray cluster address (none: start a local one)")
    parser.add_argument("--num-cpus", type=int, default=None, help="CPUs of a Ray cluster started here")
    parser.add_argument("--paragraphs", action="store_true", help="add every paragraph's decision")
    parser.add_argument("--model", default=None, help="model file (default: the shipped one)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one page may take")
    args = parser.parse_args()

    if args.address:
        ray.init(address=args.address)
    else:
        ray.init(num_cpus=args.num_cpus, include_dashboard=False)
    try:
        # Reading is I/O: reserve no CPU for it, or a pool holding every CPU starves the reads
        # and the job hangs (named parameter since recent Ray releases, ray_remote_args before).
        no_cpu = ({"num_cpus": 0} if "num_cpus" in inspect.signature(ray.data.read_binary_files).parameters
                  else {"ray_remote_args": {"num_cpus": 0}})
        pages = ray.data.read_binary_files(local_path(args.input), include_paths=True,
                                           file_extensions=[args.extension], **no_cpu)
        options = BatchOptions(model=args.model, paragraphs=args.paragraphs, timeout=args.timeout)
        clean = pages.map_batches(CleanBatch, batch_format="pyarrow", batch_size=args.batch_size,
                                  compute=ray.data.ActorPoolStrategy(size=args.workers), num_cpus=1,
                                  fn_constructor_kwargs={"options": options, "html_column": "bytes",
                                                         "id_column": "path"})
        clean.write_json(local_path(args.output))
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
