"""Faults around the pages: dying and hanging workers, Ctrl-C, a full disk."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from filter.batch import BatchOptions, clean_records
from filter.readers import Record

from .conftest import PAGES


class _Dies:
    """Unpickling this in a worker kills the worker process (as a segfault in C code would)."""

    def __reduce__(self):
        return (os._exit, (1,))


class _Hangs:
    """Unpickling this in a worker blocks it for good (as a hang in C code would)."""

    def __reduce__(self):
        return (time.sleep, (3600,))


def page(name):
    return Record(name, (PAGES / f"{name}.html").read_bytes())


def test_a_dying_worker_is_replaced_and_its_record_becomes_an_error():
    records = [page("en_clean_essay"), Record("killer", _Dies()), page("fr_blog_cuisine")]
    out = list(clean_records(records, BatchOptions(timeout=30), workers=2))
    assert [r["id"] for r in out] == ["en_clean_essay", "killer", "fr_blog_cuisine"]
    assert [r["status"] for r in out] == ["ok", "error", "ok"]
    assert out[1]["reason"] == "worker_died"


def test_a_hanging_worker_is_replaced_and_its_record_becomes_an_error():
    records = [page("en_clean_essay"), Record("stuck", _Hangs()), page("fr_blog_cuisine")]
    start = time.monotonic()
    out = list(clean_records(records, BatchOptions(timeout=1, hang_grace=3), workers=2))
    assert [r["status"] for r in out] == ["ok", "error", "ok"]
    assert out[1]["reason"] == "timeout"
    assert time.monotonic() - start < 60


def test_full_disk_gives_a_clear_error_and_exit_4():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    out = subprocess.run([sys.executable, "-m", "filter", "clean", str(PAGES / "en_clean_essay.html"), "-f", "json",
                          "-o", "/dev/full", "-w", "1"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 4
    assert "cannot write" in out.stderr and "Traceback" not in out.stderr


def test_ctrl_c_keeps_every_finished_record_and_resume_completes(tmp_path):
    pages = sorted(PAGES.glob("*.html"))
    lines = [json.dumps({"id": f"r{i}", "html": pages[i % len(pages)].read_text(encoding="utf-8")}) + "\n"
             for i in range(120)]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "filter", "clean", "-f", "json", "-o", str(out), "-w", "2"]
    # The first run reads stdin that stays open after 80 records, so it cannot finish before
    # Ctrl-C whatever the machine's speed: it writes what it has and waits for more input.
    proc = subprocess.Popen(cmd + ["-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    proc.stdin.write("".join(lines[:80]))
    proc.stdin.flush()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.read_text().count("\n") < 5):
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    done = [json.loads(line) for line in out.read_text().splitlines()]  # every line is whole JSON
    assert 0 < len(done) < 120
    resumed = subprocess.run(cmd + [str(src), "--resume"], capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == [f"r{i}" for i in range(120)]
