"""The command line as a user runs it."""

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import FIXTURES, PAGES

SEED = PAGES / "ja_seed001_aggregator.html"


def pagefilter(*args, **kw):
    return subprocess.run([sys.executable, "-m", "filter", *map(str, args)], capture_output=True, text=True,
                          timeout=300, **kw)


def test_help_explains_the_commands():
    out = pagefilter("--help")
    assert out.returncode == 0
    for command in ("clean", "explain", "train", "evaluate", "label"):
        assert command in out.stdout


def test_clean_prints_the_body_once():
    out = pagefilter("clean", SEED)
    assert out.returncode == 0, out.stderr
    first = "OpenAIは真夜中に突然変化し"
    assert out.stdout.count(first) == 1
    assert "Download App" not in out.stdout and "Recommended for you" not in out.stdout


def test_json_records_and_explain():
    out = pagefilter("clean", SEED, "-f", "json", "--paragraphs")
    record = json.loads(out.stdout)
    assert record["status"] == "ok" and record["paragraphs"]
    explained = pagefilter("explain", SEED)
    assert explained.returncode == 0
    assert "- recommended" in explained.stdout and "+ body" in explained.stdout


def test_batch_with_a_bad_record_exits_1_and_writes_every_record(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out_file = tmp_path / "out.jsonl"
    out = pagefilter("clean", PAGES / "en_clean_essay.html", bad, PAGES / "fr_blog_cuisine.html", "-f", "json",
                     "-o", out_file, "-w", "2")
    assert out.returncode == 1
    records = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [r["status"] for r in records] == ["ok", "error", "ok"]


def test_out_dir_mode_and_resume(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("en_clean_essay", "fr_blog_cuisine", "de_tech_blog"):
        shutil.copy(PAGES / f"{name}.html", src / f"{name}.html")
    out_dir = tmp_path / "out"
    assert pagefilter("clean", src, "--out-dir", out_dir, "-w", "1").returncode == 0
    assert len(list(out_dir.glob("*.txt"))) == 3
    index = (out_dir / "records.jsonl").read_text().splitlines()
    (out_dir / "records.jsonl").write_text("\n".join(index[:1]) + "\n")  # as if killed after one
    assert pagefilter("clean", src, "--out-dir", out_dir, "--resume", "-w", "1").returncode == 0
    again = [json.loads(x)["id"] for x in (out_dir / "records.jsonl").read_text().splitlines()]
    assert again == [json.loads(x)["id"] for x in index]


def test_unusable_model_gives_one_line_and_exit_3(tmp_path):
    broken = tmp_path / "m.joblib"
    broken.write_bytes(b"garbage")
    out = pagefilter("clean", SEED, "--model", broken)
    assert out.returncode == 3
    assert out.stderr.strip().count("\n") == 0 and "Traceback" not in out.stderr


def test_label_writes_a_draft_that_check_fixtures_accepts(tmp_path):
    shutil.copy(PAGES / "en_amp_sports.html", tmp_path / "page.html")
    out = pagefilter("label", tmp_path / "page.html", "-o", tmp_path / "page.json", "--language", "en")
    assert out.returncode == 0, out.stderr
    draft = json.loads((tmp_path / "page.json").read_text())
    assert {p["label"] for p in draft["paragraphs"]} > {"body"}
    assert pagefilter("check-fixtures", tmp_path).returncode == 0


def test_train_and_evaluate_on_a_few_fixtures(tmp_path):
    for name in ("en_react_news_politics", "de_news_regional", "ja_seed000_blog", "fr_presse_politique"):
        for ext in (".html", ".json"):
            shutil.copy(PAGES / f"{name}{ext}", tmp_path / f"{name}{ext}")
    model = tmp_path / "m.joblib"
    out = pagefilter("train", tmp_path, "-o", model, "--no-cv")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "MANIFEST.json").exists()
    ev = pagefilter("evaluate", tmp_path, "--model", model)
    assert ev.returncode == 0 and "body paragraphs kept" in ev.stdout
    # Scoring a model on its own training pages is allowed, but said: those figures are not held out.
    assert "4 of these 4 pages are among the model's training pages" in ev.stderr
    # Grouped cross-validation with folds in two processes gives what one process gives.
    folds = [pagefilter("evaluate", tmp_path, "--folds", "2", "--jobs", str(jobs), "--json") for jobs in (1, 2)]
    assert all(f.returncode == 0 for f in folds), [f.stderr for f in folds]
    one, two = (json.loads(f.stdout) for f in folds)
    assert one["keep"] == two["keep"] and one["pages"] == 4
