"""The ``pagefilter`` command line (typer).

Exit codes: 0 finished and every record is ok or empty; 1 finished, but some records are
errors (each has an error record); 2 bad usage; 3 the model cannot be loaded; 4 the output
cannot be written; 130 interrupted (every finished record is written; rerun with --resume).
"""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer

from .batch import DEFAULT_TIMEOUT, BatchOptions, clean_records, default_workers
from .errors import ModelError, OutputError, PageFilterError
from .fixtures import HELDOUT_DIR, align, fixture_document, iter_fixtures, write_fixture
from .model import load_model, save_model
from .parse import DEFAULT_MAX_BYTES
from .readers import DEFAULT_GLOB, read_inputs
from .reference import REFERENCE_WEIGHT
from .writers import JsonlWriter, TextDirWriter, resume_jsonl

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Clean scraped web pages: keep the article body, drop the junk around it "
                       "(duplicated paragraphs, app promos, comment widgets, unrelated recommended items, "
                       "credits, link lines). trafilatura removes the page boilerplate, then a trained "
                       "classifier labels every paragraph.")

EXIT_RECORD_ERRORS, EXIT_MODEL, EXIT_OUTPUT, EXIT_INTERRUPTED = 1, 3, 4, 130


class Format(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


ModelOpt = typer.Option(None, "--model", "-m", help="Model file (default: the shipped models/default.joblib).")
TrustOpt = typer.Option(False, "--trust-model", help="Load a model file not listed in the MANIFEST.json beside it. "
                        "Model files are pickles and can run code: only for files you trust.")


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"pagefilter: {message}", err=True)
    return typer.Exit(code)


class _Progress:
    """One status line on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.counts = {"ok": 0, "empty": 0, "error": 0}
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, status: str, force: bool = False) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1
        now = time.monotonic()
        if self.enabled and (force or now - self.last > 0.2):
            self.last = now
            total = sum(self.counts.values())
            rate = total / max(now - self.start, 1e-9)
            sys.stderr.write(f"\r{total} pages  {rate:.1f} pages/s  ok {self.counts['ok']}  "
                             f"empty {self.counts['empty']}  error {self.counts['error']} ")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


@app.command()
def clean(
    inputs: List[str] = typer.Argument(..., help="HTML files, directories (searched recursively with --glob), "
                                       ".jsonl files of {\"url\", \"html\"} records, .warc/.warc.gz files, "
                                       "or - for JSONL on stdin. Gzipped files are read transparently."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or markdown: the clean text of each page; "
                               "json: one JSON record per input record (JSONL), errors included."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write one .txt per page into this directory, "
                                           "with records.jsonl listing every record's status."),
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0 = all cores)."),
    paragraphs: bool = typer.Option(False, "--paragraphs", help="With --format json: add every paragraph's "
                                    "label, score and kept flag."),
    resume: bool = typer.Option(False, "--resume", help="Continue a killed run: keep the records already in "
                                "--output/--out-dir and skip that many input records."),
    glob: str = typer.Option(DEFAULT_GLOB, help="File pattern for directories."),
    html_field: str = typer.Option("html", help="JSONL field holding the HTML."),
    url_field: str = typer.Option("url", help="JSONL field holding the URL."),
    model: Optional[Path] = ModelOpt,
    trust_model: bool = TrustOpt,
    keep_threshold: Optional[float] = typer.Option(None, help="Keep a paragraph when P(body) reaches this "
                                                   "(default: the model's). Lower keeps more."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, help="Seconds one page may take (0 = no limit)."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, help="Pages larger than this are error records."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress line."),
) -> None:
    """Clean pages: print or write the article body of each, or a JSONL record per input record."""
    if resume and not (output or out_dir):
        raise _fail("--resume needs --output or --out-dir", 2)
    options = BatchOptions(str(model) if model else None, trust_model, keep_threshold, max_bytes, timeout,
                           paragraphs)
    try:
        load_model(options.model, trust=trust_model)  # fail once, clearly, before any worker starts
    except ModelError as exc:
        raise _fail(str(exc), EXIT_MODEL)
    skip = 0
    try:
        if out_dir:
            writer: Any = TextDirWriter(out_dir, append=resume)
            skip = writer.count
        elif fmt is Format.json:
            skip = resume_jsonl(output) if resume and output else 0
            writer = JsonlWriter(output, append=resume)
        else:
            writer = _TextWriter(output, fmt is Format.markdown, len(inputs) > 1 or Path(inputs[0]).is_dir())
            skip = writer.resume() if resume else 0
    except OutputError as exc:
        raise _fail(str(exc), EXIT_OUTPUT)

    records = read_inputs(inputs, glob=glob, html_field=html_field, url_field=url_field)
    for _ in range(skip):
        next(records, None)
    n_workers = workers or default_workers()
    progress = _Progress(not quiet)
    errors = 0
    try:
        for record in clean_records(records, options, n_workers):
            writer.write(record)
            progress.update(record["status"])
            if record["status"] == "error":
                errors += 1
                if not (fmt is Format.json or out_dir):
                    typer.echo(f"pagefilter: {record['id']}: {record['reason']}: {record.get('error')}", err=True)
    except OutputError as exc:
        progress.close()
        raise _fail(f"{exc}; the records written before it are complete (rerun with --resume)", EXIT_OUTPUT)
    except KeyboardInterrupt:
        progress.close()
        writer.close()
        raise _fail("interrupted; every finished record is written (rerun with --resume)", EXIT_INTERRUPTED)
    progress.close()
    writer.close()
    if errors:
        raise typer.Exit(EXIT_RECORD_ERRORS)


class _TextWriter:
    """Clean text of each page; with several pages, a ``==> id <==`` line before each."""

    def __init__(self, path: Path | None, markdown: bool, headers: bool) -> None:
        self.path = path
        self.headers = headers
        self.markdown = markdown
        self.done_path = path.with_name(path.name + ".done") if path else None
        try:
            self.handle = open(path, "a", encoding="utf-8") if path else sys.stdout
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc

    def resume(self) -> int:
        return resume_jsonl(self.done_path) if self.done_path else 0

    def write(self, record: dict[str, Any]) -> None:
        try:
            if record["status"] == "ok":
                text = record["text"]
                if self.headers:
                    text = f"==> {record['id']} <==\n{text}"
                self.handle.write(text + "\n\n" if self.headers else text + "\n")
                self.handle.flush()
            if self.done_path:  # which records are finished, for --resume
                with open(self.done_path, "a", encoding="utf-8") as done:
                    done.write(json.dumps({"id": record["id"], "status": record["status"]}) + "\n")
        except OSError as exc:
            raise OutputError(f"cannot write {self.path or 'stdout'}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        if self.path:
            self.handle.close()


@app.command()
def explain(
    page: Path = typer.Argument(..., exists=True, dir_okay=False, help="One HTML page."),
    url: Optional[str] = typer.Option(None, help="The page's URL, if known."),
    model: Optional[Path] = ModelOpt,
    trust_model: bool = TrustOpt,
    keep_threshold: Optional[float] = typer.Option(None, help="Override the model's keep threshold."),
) -> None:
    """Show every paragraph of PAGE with its label and score; dropped ones are marked with '-'."""
    from .clean import PageFilter

    try:
        page_filter = PageFilter(str(model) if model else None, trust_model=trust_model, keep_threshold=keep_threshold)
        result = page_filter.clean(page.read_bytes(), url)
    except ModelError as exc:
        raise _fail(str(exc), EXIT_MODEL)
    except PageFilterError as exc:
        raise _fail(f"{page}: {exc}", EXIT_RECORD_ERRORS)
    typer.echo(f"title: {result.title}\nthreshold: keep when P(body) >= {page_filter.keep_threshold:.2f}\n")
    for i, p in enumerate(result.paragraphs):
        mark = "+" if p.kept else "-"
        text = p.text if len(p.text) <= 100 else p.text[:97] + "..."
        typer.echo(f"{i:>3} {mark} {p.label:<21}{p.score:5.2f}  {p.kind:<10} {text}")
    kept = sum(p.kept for p in result.paragraphs)
    typer.echo(f"\n{kept} of {len(result.paragraphs)} paragraphs kept")


@app.command()
def train(
    fixtures: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of labelled fixtures, "
                                    "read recursively; a 'heldout' folder in it is skipped (never trained on)."),
    output: Path = typer.Option(..., "-o", "--output", help="Model file to write (its SHA-256 goes into "
                                "MANIFEST.json beside it)."),
    reference: Optional[Path] = typer.Option(None, exists=True, file_okay=False, help="Also train on the "
                                             "training part of a WCXB-layout corpus (e.g. ../shared/data/wcxb-dev): "
                                             "its pages are labelled body/other by aligning them with their "
                                             "reference main text (rule in filter/reference.py)."),
    reference_weight: float = typer.Option(REFERENCE_WEIGHT, help="Weight of each reference page in training "
                                           "(a fixture page weighs 1)."),
    cv: bool = typer.Option(True, help="Also cross-validate (grouped by page) and store the figures in the model."),
    folds: int = typer.Option(5, help="Cross-validation folds."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Folds trained at once, one process each (0 = all cores)."),
) -> None:
    """Train a model on labelled fixtures (yours, the shipped ones, or both in one folder).

    Cross-validation scores the fixtures only; reference pages, when given, are in every
    fold's training set (their own held-out figures come from benchmarks/accuracy.py).
    """
    from .reference import labelled_reference_pages, training_part_ids
    from .train import cross_validate, fit_model, format_report, load_labelled

    try:
        pages = load_labelled(fixtures, skip=(HELDOUT_DIR,))
        extra = labelled_reference_pages(reference, training_part_ids(reference), reference_weight) if reference else []
        info: dict[str, Any] = {"fixtures": len(pages), "paragraphs": sum(len(p.labels) for p in pages),
                                "languages": sorted({p.language for p in pages if p.language}),
                                "trained_on": sorted(p.name for p in pages)}
        if extra:
            info["reference"] = {"corpus": reference.name, "part": "training", "pages": len(extra),
                                 "paragraphs": sum(len(p.labels) for p in extra), "page_weight": reference_weight}
        if cv:
            report = cross_validate(pages, folds, extra=extra, n_jobs=jobs or default_workers())
            typer.echo(format_report(report))
            info["cv"] = {k: v for k, v in report.items() if k != "per_page"}
        bundle = fit_model(pages + extra, info=info)
        digest = save_model(bundle, output)
    except (PageFilterError, OSError, KeyError, ValueError) as exc:
        raise _fail(str(exc), 1)
    typer.echo(f"wrote {output} (sha256 {digest[:16]}…), trained on {info['fixtures']} fixture pages, "
               f"{info['paragraphs']} paragraphs" + (f", and {len(extra)} reference pages" if extra else ""), err=True)


@app.command()
def evaluate(
    fixtures: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of labelled fixtures, "
                                    "read recursively; cross-validation skips a 'heldout' folder in it."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Score this trained model on FIXTURES "
                                         "(they must be pages it was not trained on). Without it: grouped "
                                         "cross-validation of training on FIXTURES."),
    trust_model: bool = TrustOpt,
    folds: int = typer.Option(5, help="Cross-validation folds."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Folds trained at once, one process each (0 = all cores)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Per-label precision/recall/F1, body kept and junk leaked, next to keeping every paragraph."""
    from .clean import decide
    from .train import cross_validate, format_report, load_labelled, summarize

    try:
        # Scoring a trained model reads every page; cross-validation trains, so not held-out ones.
        pages = load_labelled(fixtures, skip=() if model else (HELDOUT_DIR,))
        if model:
            bundle = load_model(model, trust=trust_model)
            seen = sorted({lp.name for lp in pages} & set(bundle.info.get("trained_on", ())))
            if seen:
                typer.echo(f"warning: {len(seen)} of these {len(pages)} pages are among the model's training "
                           f"pages, so their figures are not held out: {', '.join(seen[:5])}"
                           + (" …" if len(seen) > 5 else ""), err=True)
            decisions = []
            for lp in pages:
                proba = bundle.pipeline.predict_proba([(lp.page, i) for i in range(len(lp.labels))]) if lp.labels else []
                decisions.append(decide(lp.page, proba, bundle.labels, bundle.keep_threshold) if lp.labels else [])
            report = summarize(pages, decisions)
        else:
            report = cross_validate(pages, folds, n_jobs=jobs or default_workers())
    except ModelError as exc:
        raise _fail(str(exc), EXIT_MODEL)
    except PageFilterError as exc:
        raise _fail(str(exc), 1)
    typer.echo(json.dumps(report, indent=1) if as_json else format_report(report))


@app.command()
def label(
    page: Path = typer.Argument(..., exists=True, dir_okay=False, help="An HTML page as a scraper saved it."),
    output: Path = typer.Option(..., "-o", "--output", help="The draft fixture to write: NAME.json beside NAME.html."),
    url: Optional[str] = typer.Option(None, help="The page's URL, if known."),
    language: str = typer.Option("", help="Language code to record in the fixture."),
    model: Optional[Path] = ModelOpt,
    trust_model: bool = TrustOpt,
    use_model: bool = typer.Option(True, "--use-model/--all-body", help="Draft labels from the model, "
                                   "or label every paragraph 'body'."),
) -> None:
    """Write a draft fixture for PAGE labelled by the current model, for a person to correct.

    Copy PAGE to NAME.html beside the NAME.json you write, fix the labels, check with
    `pagefilter check-fixtures`, then retrain with `pagefilter train`.
    """
    from .clean import PageFilter

    try:
        if use_model:
            page_filter = PageFilter(str(model) if model else None, trust_model=trust_model)
            parsed = page_filter.parse(page.read_bytes(), url)
            labels = [p.label for p in page_filter.classify(parsed)]
        else:
            from .parse import parse_page

            parsed = parse_page(page.read_bytes(), url)
            labels = ["body"] * len(parsed.blocks)
    except ModelError as exc:
        raise _fail(str(exc), EXIT_MODEL)
    except PageFilterError as exc:
        raise _fail(f"{page}: {exc}", EXIT_RECORD_ERRORS)
    write_fixture(output, fixture_document(parsed, labels, language))
    typer.echo(f"wrote {output}: {len(parsed.blocks)} paragraphs to review", err=True)


@app.command("check-fixtures")
def check_fixtures(directory: Path = typer.Argument(..., exists=True, help="Folder of NAME.html + NAME.json fixtures.")) -> None:
    """Check that every fixture's labels still match what the extractor yields from its page."""
    bad = 0
    for fixture in iter_fixtures(directory):
        try:
            align(fixture.page(), fixture.labels)
        except PageFilterError as exc:
            bad += 1
            typer.echo(f"{fixture.name}: {exc}", err=True)
    raise typer.Exit(1 if bad else 0)
