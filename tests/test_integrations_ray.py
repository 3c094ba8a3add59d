"""Ray: Ray Data's map_batches with CleanBatch, and datatrove's Ray executor, on a local cluster.

One local Ray cluster (2 CPUs, no dashboard) serves the whole module; the examples run as
separate drivers connected to it with ``--address``, as they would to a multi-node cluster.
"""

import json

import pytest

from filter import BatchOptions

from .conftest import PAGES
from .integration_support import WARC, check_warc_output, cli_records, engine, read_jsonl_dir, run_example

ray = engine("ray")
# Ray Data's own DataContext warns about its deprecated settings whenever it is pickled.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray\\.data\\..*")

import pyarrow as pa  # noqa: E402  (comes with the ray extra)

from filter.integrations.ray import SCHEMA, CleanBatch, clean_batch, row_to_record  # noqa: E402


@pytest.fixture(scope="module")
def ray_address():
    with pytest.MonkeyPatch.context() as env:
        # Keep the test cluster on the loopback interface (Ray otherwise binds to the machine's
        # outward address) and send no usage statistics; the example drivers inherit both.
        env.setenv("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        env.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            yield ray.get_runtime_context().gcs_address
        finally:
            ray.shutdown()


def test_clean_batch_on_an_arrow_table_gives_the_cli_records():
    """The class alone, as each Ray actor runs it: rows are the CLI's records."""
    names = ["en_clean_essay.html", "ja_seed001_aggregator.html"]
    table = pa.table({"path": [str(PAGES.resolve() / n) for n in names] + ["x"],
                      "bytes": [(PAGES / n).read_bytes() for n in names] + [b"\x89PNG\r\n\x1a\n" + bytes(64)]})
    out = CleanBatch({"paragraphs": True, "timeout": 60}, html_column="bytes", id_column="path")(table)
    assert out.schema == SCHEMA and out.num_rows == 3
    rows = out.to_pylist()
    cli = cli_records()
    assert [row_to_record(r) for r in rows[:2]] == [cli[r["id"]] for r in rows[:2]]
    assert rows[2]["status"] == "error" and rows[2]["reason"] == "binary" and rows[2]["text"] is None
    same = clean_batch(table, {"paragraphs": True, "timeout": 60}, html_column="bytes", id_column="path")
    assert same.equals(out)  # the function form gives the same table


def test_ray_tasks_apply_the_per_page_time_limit(ray_address):
    """With the function form Ray runs tasks on its workers' main threads, where pagefilter's
    SIGALRM time limit works: a limit no page can meet makes every row a timeout error."""
    names = ["en_clean_essay.html", "de_news_regional.html"]
    ds = ray.data.from_items([{"id": n, "html": (PAGES / n).read_bytes()} for n in names])
    rows = ds.map_batches(clean_batch, batch_format="pyarrow", num_cpus=1,
                          fn_kwargs={"options": BatchOptions(timeout=1e-4)}).take_all()
    assert sorted((r["id"], r["status"], r["reason"]) for r in rows) == [(n, "error", "timeout") for n in sorted(names)]


def test_ray_data_example_with_two_workers_equals_the_cli(ray_address, tmp_path):
    run_example("ray_data_pages.py", PAGES, tmp_path / "out", "--workers", "2", "--batch-size", "8",
                "--paragraphs", "--timeout", "60", "--address", ray_address)
    rows = read_jsonl_dir(tmp_path / "out")
    got = {r["id"]: r for r in map(row_to_record, rows)}
    cli = cli_records()
    pages = {str(p.resolve()) for p in PAGES.glob("*.html")}
    assert len(rows) == len(got) == len(pages) and set(got) == pages
    for rid in sorted(got):
        assert got[rid] == cli[rid], rid  # record for record, paragraphs included
    assert all(json.loads(r["paragraphs"]) for r in rows if r["status"] == "ok")


def test_datatrove_ray_executor_example_equals_the_cli(ray_address, tmp_path):
    engine("datatrove")
    run_example("datatrove_warc.py", WARC.parent, tmp_path, "--glob", WARC.name, "--executor", "ray",
                "--address", ray_address)
    check_warc_output(tmp_path)
    assert (tmp_path / "logs" / "completions" / "00000").exists()
