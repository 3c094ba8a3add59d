"""Clean the pages of WARC files with datatrove: WarcReader -> pagefilter -> JSONL.

    pip install 'pagefilter[datatrove]'                      # add ',ray' for --executor ray
    python examples/datatrove_warc.py fixtures/warc out/      # one local task
    python examples/datatrove_warc.py crawl/ out/ --tasks 64 --workers 8
    python examples/datatrove_warc.py crawl/ out/ --executor ray --address auto --tasks 64

Writes ``out/clean/NNNNN.jsonl`` (one file per task: the pages kept, ``text`` is the clean
body and ``metadata.pagefilter`` the rest of pagefilter's record, per-paragraph decisions
included), ``out/dropped/NNNNN.jsonl`` (pages left with too little body; ``metadata.filter_reason``
says why) and ``out/logs/`` (datatrove's logs and stats; a rerun skips finished tasks).

Each task reads its share of the WARC files (datatrove shards by file: use at least as many
files as tasks). ``--executor ray`` runs the same pipeline as Ray tasks on the cluster at
``--address`` (``auto``: the one this machine belongs to; none: a local one is started); the
input and output folders must then be reachable from every node (shared disk, or s3://).
"""

from __future__ import annotations

import argparse
import os

from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter

from filter import BatchOptions
from filter.integrations.datatrove import PageFilterBodyFilter, PageFilterExtractor


def local_path(path: str) -> str:
    # Workers may run in another directory: give datatrove absolute local paths.
    return path if "://" in path else os.path.abspath(path)


def build_pipeline(args: argparse.Namespace) -> list:
    out = local_path(args.output)
    return [
        WarcReader(local_path(args.input), glob_pattern=args.glob),
        PageFilterExtractor(BatchOptions(model=args.model, paragraphs=True, timeout=args.timeout)),
        PageFilterBodyFilter(min_chars=args.min_chars, min_paragraphs=args.min_paragraphs,
                             exclusion_writer=JsonlWriter(f"{out}/dropped", output_filename="${rank}.jsonl",
                                                          compression=None)),
        JsonlWriter(f"{out}/clean", output_filename="${rank}.jsonl", compression=None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="folder (local or s3://…) holding the WARC files")
    parser.add_argument("output", help="output folder")
    parser.add_argument("--glob", default="*.warc.gz", help="WARC file pattern, relative to input")
    parser.add_argument("--executor", choices=["local", "ray"], default="local")
    parser.add_argument("--tasks", type=int, default=1, help="shards of the input files")
    parser.add_argument("--workers", type=int, default=-1, help="tasks run at once (-1: all)")
    parser.add_argument("--address", default=None, help="Ray cluster address (ray executor)")
    parser.add_argument("--num-cpus", type=int, default=None, help="CPUs of a Ray cluster started here")
    parser.add_argument("--mem-per-cpu-gb", type=float, default=1.0, help="memory Ray reserves per task")
    parser.add_argument("--model", default=None, help="model file (default: the shipped one)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one page may take")
    parser.add_argument("--min-chars", type=int, default=100, help="drop pages with less clean text")
    parser.add_argument("--min-paragraphs", type=int, default=1, help="drop pages with fewer kept paragraphs")
    args = parser.parse_args()
    logs = f"{local_path(args.output)}/logs"

    if args.executor == "local":
        from datatrove.executor import LocalPipelineExecutor

        LocalPipelineExecutor(build_pipeline(args), tasks=args.tasks, workers=args.workers, logging_dir=logs).run()
        return

    import ray
    from datatrove.executor.ray import RayPipelineExecutor

    if args.address:
        ray.init(address=args.address)
    else:
        ray.init(num_cpus=args.num_cpus, include_dashboard=False)
    try:
        RayPipelineExecutor(build_pipeline(args), tasks=args.tasks, workers=args.workers, logging_dir=logs,
                            cpus_per_task=1, mem_per_cpu_gb=args.mem_per_cpu_gb).run()
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
