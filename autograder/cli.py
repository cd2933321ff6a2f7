"""Command line: the only place that prints errors and chooses exit codes.

Exit codes: 0 the command did its job (for ``grade``: the batch ran, whatever the
scores; for ``check``: every required public check passed); 1 a grading run could
not complete, ``check`` found a required check failing, or ``grade --fail-under``
was not reached; 2 bad usage, rubric or data settings.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from autograder import __version__, environments
from autograder.batch import STORE_FILE
from autograder.datasets.base import DataOptions
from autograder.errors import (
    AuthoringError,
    AutograderError,
    DatasetError,
    GpuError,
    RubricError,
    UsageError,
)
from autograder.execution.gpus import parse_gpus
from autograder.execution.limits import Limits
from autograder.i18n import Language, choose_language, locale_language, text
from autograder.overrides import load_overrides
from autograder.reference.cache import (
    ReferenceOutcome,
    cache_dir,
    lookup,
)
from autograder.reports.console import render_class_table, render_submission
from autograder.reports.exports import FORMATS, parse_formats, write_exports
from autograder.reports.github import write_github
from autograder.reports.json_report import result_json_schema
from autograder.reports.progress import BatchProgress
from autograder.reports.reference import render_reference, render_reference_seeds
from autograder.reports.student import render_self_check
from autograder.results import ClassSummary, GradeReport
from autograder.rubric import load_rubric, rubric_json_schema, rubric_summary
from autograder.timing import mark

if TYPE_CHECKING:
    from autograder.batch.runner import BatchOutcome
    from autograder.grading.grader import Backends

# The grading pipeline (nbclient, jupyter_client, zmq) is imported inside the commands
# that run kernels: `reference` on a warm cache, `rubric` and `schema` must answer fast.

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="autograder",
    help="Grade Keras/TensorFlow notebooks and scripts against a YAML rubric.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rubric_app = typer.Typer(help="Validate, test and export rubric files.")
schema_app = typer.Typer(help="JSON Schemas of the files the autograder writes.")
app.add_typer(rubric_app, name="rubric")
app.add_typer(schema_app, name="schema")
env_app = typer.Typer(help="Kernel environments: the packages a rubric declares, cached.")
app.add_typer(env_app, name="env")

_out = Console(highlight=False, soft_wrap=False)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


class DataChoice(str, Enum):
    """--data values (Typer needs an Enum to list the choices in --help)."""

    real = "real"
    synthetic = "synthetic"


# Options several commands share, declared once so their help never drifts apart.
RubricOption = Annotated[Path, typer.Option("--rubric", "-r", help="The rubric YAML file.")]
DataOption = Annotated[
    DataChoice, typer.Option(help="real: Keras' dataset cache; synthetic: offline stand-ins.")
]
SeedOption = Annotated[int, typer.Option(help="Seed for Python, NumPy and Keras.")]


class ExecutorChoice(str, Enum):
    """--executor values."""

    local = "local"
    dask = "dask"


class LangChoice(str, Enum):
    """--lang values."""

    es = "es"
    en = "en"


class ReportFormat(str, Enum):
    """--format values: the terminal, or GitHub Actions (step summary + ::error lines)."""

    console = "console"
    github = "github"


def _version(value: bool) -> None:
    if value:
        _out.print(f"autograder {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Grade Keras/TensorFlow notebooks and scripts against a YAML rubric."""


# grade's options, declared here so that the command itself reads in one screen.
_DEFAULT_MEMORY_MB = Limits().memory_mb
_DEFAULT_EVALUATION_S = Limits().evaluation_timeout_s
_Paths = Annotated[
    list[Path],
    typer.Argument(
        help="Notebooks/scripts, folders of them (one per student) or LMS zips; several "
        "paths (a shell glob) are one batch."
    ),
]
_Fraction = Annotated[
    float,
    typer.Option(
        min=0.0001,
        max=1.0,
        help="Train each fit (and run each evaluate) on this fraction of its samples or "
        "steps and measure on this fraction of each split; the notebook still sees the "
        "full data.",
    ),
]
_Timeout = Annotated[
    float | None,
    typer.Option(min=1.0, help="Seconds each submission may run (default: the rubric's)."),
]
_Out = Annotated[Path, typer.Option("--out", "-o", help="Where result.json files are written.")]
_KeepJobs = Annotated[
    bool, typer.Option(help="Keep each submission's scratch dir (for debugging).")
]
_Jobs = Annotated[
    int,
    typer.Option(
        "--jobs", "-j", min=0, help="Submissions graded at once; 0: what the machine can take."
    ),
]
_Force = Annotated[
    bool,
    typer.Option("--force", help="Grade again even the submissions already in the results store."),
]
_Formats = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        help=f"Outputs, repeatable or comma-separated: {', '.join(FORMATS)} "
        "(default: console; result.json/summary.json are always written).",
    ),
]
_Executor = Annotated[
    ExecutorChoice,
    typer.Option(
        # Rich renders --help: the bracket must be escaped or it is read as markup.
        help="local: this machine; dask: tasks on a Dask cluster (autograder\\[dask])."
    ),
]
_Scheduler = Annotated[
    str | None,
    typer.Option(
        help="Dask scheduler address, e.g. tcp://host:8786 (default: an in-process cluster)."
    ),
]
_Overrides = Annotated[
    Path | None,
    typer.Option(help="Instructor YAML adjusting a check's points for a student."),
]
_Assignment = Annotated[
    str | None,
    typer.Option(help="Assignment column for canvas-csv (default: the rubric title)."),
]
_FailUnder = Annotated[
    float | None,
    typer.Option(min=0.0, help="Exit 1 when a submission scores fewer points than this."),
]
_Lang = Annotated[
    LangChoice | None,
    typer.Option(
        help="Report language: console, Markdown, github (default: the rubric's, then locale)."
    ),
]
_MemoryMb = Annotated[
    int, typer.Option(min=256, help="Memory cap (MiB) of each kernel and its processes.")
]
_Sandbox = Annotated[
    bool,
    typer.Option(help="Run kernels under bubblewrap (no network, read-only system)."),
]
_EvaluationTimeout = Annotated[
    float,
    typer.Option(
        "--evaluation-timeout",
        min=1,
        help="Seconds the evaluator may spend measuring one model; a submission has four "
        "times this for all its models, and a slower model costs only its own submission.",
    ),
]
_Gpus = Annotated[str, typer.Option("--gpus", help=text("gpus.help", "en"))]


@app.command()
def grade(
    ctx: typer.Context,
    paths: _Paths,
    rubric: RubricOption,
    data: DataOption = DataChoice.real,
    fraction: _Fraction = 1.0,
    timeout: _Timeout = None,
    out: _Out = Path("grading-results"),
    seed: SeedOption = 0,
    keep_jobs: _KeepJobs = False,
    jobs: _Jobs = 0,
    force: _Force = False,
    formats: _Formats = None,
    executor: _Executor = ExecutorChoice.local,
    scheduler: _Scheduler = None,
    overrides: _Overrides = None,
    assignment: _Assignment = None,
    fail_under: _FailUnder = None,
    lang: _Lang = None,
    memory_mb: _MemoryMb = _DEFAULT_MEMORY_MB,
    sandbox: _Sandbox = True,
    evaluation_timeout: _EvaluationTimeout = _DEFAULT_EVALUATION_S,
    gpus: _Gpus = "auto",
) -> None:
    """Run each submission in its own kernel, measure its model, and score it.

    Results are kept in OUT/results.sqlite: re-running grades only new or changed
    submissions, and an interrupted batch resumes where it stopped.
    """
    # Deliberately late (see top): the grading pipeline is only needed here.
    from autograder.batch.request import BatchRequest, grade_batch  # noqa: PLC0415
    from autograder.grading.options import GradeOptions, data_info  # noqa: PLC0415

    loaded = load_rubric(rubric)
    chosen = parse_formats(formats or ["console"])
    options = GradeOptions(
        data=DataOptions(source=data.value, fraction=fraction),
        timeout_s=timeout,
        seed=seed,
        keep_jobs=keep_jobs,
        limits=Limits(
            memory_mb=memory_mb, sandbox=sandbox, evaluation_timeout_s=evaluation_timeout
        ),
        language=lang.value if lang else None,
        gpus=parse_gpus(gpus),
    )
    request = BatchRequest(
        paths=paths,
        rubric=loaded,
        out=out,
        options=options,
        jobs=jobs,
        force=force,
        executor=executor.value,
        scheduler=scheduler,
        overrides=load_overrides(overrides) if overrides is not None else None,
        backends=_backends(ctx),
    )
    with BatchProgress(_err) as progress:
        outcome = grade_batch(request, progress, training=_announce_training)
    reports = outcome.reports
    summary = ClassSummary(
        rubric=reports[0].rubric, data=data_info(loaded, options), submissions=reports
    )
    language = choose_language(lang.value if lang else None, loaded.rubric.language)
    # OUT/ is rebuilt from the store on every run, so it is complete after a resume.
    write_exports(out, summary, ["json", *chosen], assignment or loaded.rubric.title, language)
    _render_batch(reports, outcome, out, chosen, language)
    if "github" in chosen:
        write_github(
            reports, language, title=loaded.rubric.title, stdout=sys.stdout, environ=os.environ
        )
    if fail_under is not None:
        below = [r.submission.id for r in reports if r.score < fail_under]
        if below:
            _err.print(f"below --fail-under {fail_under:g}: {', '.join(below)}", markup=False)
            raise typer.Exit(EXIT_FAILED)


def _render_batch(
    reports: list[GradeReport],
    outcome: BatchOutcome,
    out: Path,
    chosen: list[str],
    lang: Language,
) -> None:
    if "console" in chosen:
        for report in reports:
            render_submission(report, _out, lang)
    render_class_table(reports, _out, lang)
    done = text(
        "console.batch_done",
        lang,
        graded=outcome.graded,
        reused=outcome.reused,
        store=out / STORE_FILE,
        invalid=outcome.invalid,
        out=out,
    )
    _out.print(done, markup=False)


def _announce_training(train: Callable[[], ReferenceOutcome]) -> ReferenceOutcome:
    """Tell the user a reference run is being trained, and how it went."""
    _err.print("reference: no cached run for these settings; training it now…")
    with _err.status("training the reference solution…"):
        outcome: ReferenceOutcome = train()
    summary = outcome.record.summary
    accuracy = "n/a" if summary.test_accuracy is None else f"{summary.test_accuracy:.4f}"
    _err.print(
        f"reference: trained in {summary.duration_s:.1f} s, test accuracy {accuracy}; "
        f"cached at {outcome.path}",
        markup=False,
    )
    return outcome


@app.command()
def reference(
    ctx: typer.Context,
    rubric: RubricOption,
    data: DataOption = DataChoice.real,
    fraction: Annotated[
        float,
        typer.Option(min=0.0001, max=1.0, help="Train and measure on this fraction of the data."),
    ] = 1.0,
    seed: SeedOption = 0,
    timeout: Annotated[
        float | None,
        typer.Option(min=1.0, help="Seconds the reference may run (default: the rubric's)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Retrain even when the cache has an entry.")
    ] = False,
    seeds: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=20,
            help="Run seeds 0..N-1 (each cached on its own, a second call trains nothing) and "
            "show the spread: mean, sd, min and max of test accuracy, train accuracy and gap. "
            "Default: the rubric's `reference.seeds`, which spread-based thresholds "
            "({reference: {sd: -3}}, quantile) are drawn from; 1: only --seed.",
        ),
    ] = None,
    lang: Annotated[
        LangChoice | None,
        typer.Option(help="Language of the --seeds table (default: the rubric's, then locale)."),
    ] = None,
) -> None:
    """Retrain the rubric's reference solution in the seeded environment, or show its cache.

    The measurements are cached under the user cache dir (XDG_CACHE_HOME on Linux),
    keyed by rubric, reference file, seed, data, TensorFlow/Keras versions and device.
    With --seeds N the reference runs under seeds 0..N-1; a second call trains nothing.
    """
    from autograder.grading.options import GradeOptions  # noqa: PLC0415  # see top
    from autograder.reference.train import seed_trainer  # noqa: PLC0415

    loaded = load_rubric(rubric)
    data_options = DataOptions(source=data.value, fraction=fraction)
    spec = loaded.rubric.reference
    count = seeds if seeds is not None else (spec.seeds if spec is not None else 1)
    # One grader (evaluator, data copy) trains every missing seed; opened only if one is.
    trainer = seed_trainer(
        loaded,
        GradeOptions(data=data_options, timeout_s=timeout, seed=seed),
        backends=_backends(ctx),
        log=cache_dir() / "grader.log",
        training=_announce_training,
    )
    if count > 1:
        from autograder.reference.seeds import reference_seeds  # noqa: PLC0415  # see top

        with trainer as train:
            result, _ = reference_seeds(loaded, data_options, count, train, force=force)
        language = choose_language(lang.value if lang else None, loaded.rubric.language)
        render_reference_seeds(result, lang=language, console=_out)
        return
    # A warm cache answers without TensorFlow, the dataset or nbclient: all cost seconds.
    outcome = None if force else lookup(loaded, data_options, seed)
    if outcome is None:
        with trainer as train:
            outcome = train(seed)
    render_reference(outcome.record, outcome.path, from_cache=outcome.from_cache, console=_out)


@app.command()
def check(
    ctx: typer.Context,
    notebook: Annotated[Path, typer.Argument(help="Your notebook (.ipynb) or script (.py).")],
    rubric: Annotated[
        Path | None,
        typer.Option("--rubric", "-r", help="The rubric YAML (default: the notebook's metadata)."),
    ] = None,
    quick: Annotated[
        bool,
        typer.Option(help="Train on 2% of the data for at most 1 epoch: structure only."),
    ] = False,
    lang: Annotated[
        LangChoice | None,
        typer.Option(help="Report language (default: the rubric's, then the locale)."),
    ] = None,
    data: Annotated[
        DataChoice | None,
        typer.Option(help="real or synthetic data (default: synthetic with --quick, else real)."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(min=1.0, help="Seconds the notebook may run (default: the rubric's)."),
    ] = None,
    seed: SeedOption = 0,
    html: Annotated[
        Path | None, typer.Option(help="Also write the feedback as a self-contained HTML file.")
    ] = None,
    report_format: Annotated[
        ReportFormat,
        typer.Option("--format", help="console, or github: step summary and ::error annotations."),
    ] = ReportFormat.console,
    gpus: _Gpus = "auto",
) -> None:
    """Check your notebook before handing it in: public checks, with hints.

    Exits 1 when a required check fails, so it also works as a CI step.
    """
    from autograder.grading.options import GradeOptions  # noqa: PLC0415  # see top
    from autograder.reference.train import reference_provider  # noqa: PLC0415
    from autograder.selfcheck import (  # noqa: PLC0415  # see top
        SelfCheckOptions,
        find_rubric,
        public_rubric,
        required_failures,
        run_self_check,
    )

    if not notebook.is_file():
        raise UsageError(f"{notebook}: no such notebook or script")
    loaded, hidden = public_rubric(load_rubric(find_rubric(notebook, rubric)))
    language = choose_language(lang.value if lang else None, loaded.rubric.language)
    source = data.value if data else ("synthetic" if quick else "real")
    settings = SelfCheckOptions(quick=quick)
    base = GradeOptions(
        data=DataOptions(source=source),
        timeout_s=timeout,
        seed=seed,
        language=lang.value if lang else None,
        gpus=parse_gpus(gpus),
    )
    # Quick mode decides no threshold, so it never waits for a reference run.
    reference = None if quick else reference_provider(_announce_training)
    report = run_self_check(
        notebook, loaded, settings, base, reference=reference, backends=_backends(ctx)
    )
    failed = required_failures(report, loaded)
    if report_format is ReportFormat.github:
        write_github(
            [report], language, title=loaded.rubric.title, stdout=sys.stdout, environ=os.environ
        )
    else:
        render_self_check(
            report,
            _out,
            lang=language,
            title=loaded.rubric.title,
            hidden=hidden,
            quick_epochs=settings.epochs if quick else None,
            failed=failed,
        )
    if html is not None:
        # Late: matplotlib costs seconds to import, and only HTML output needs it.
        from autograder.reports.html import render_feedback  # noqa: PLC0415

        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(render_feedback(report, language), encoding="utf-8")
        _out.print(text("report.html", language, path=html), markup=False)
    if failed:
        raise typer.Exit(EXIT_FAILED)


@app.command("html")
def html_report(
    results: Annotated[Path, typer.Argument(help="A `grade --out` folder (or its summary.json).")],
    lang: Annotated[
        LangChoice | None,
        typer.Option(help="Report language (default: the locale)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Where to write (default: the results folder)."),
    ] = None,
) -> None:
    """Write HTML feedback per submission and a class dashboard from grading results."""
    from autograder.reports.html import read_summary, write_html  # noqa: PLC0415  # matplotlib

    summary = read_summary(results)
    target = out or (results if results.is_dir() else results.parent)
    language = choose_language(lang.value if lang else None, None)
    written = write_html(target, summary.submissions, language, rubric=summary.rubric.id)
    _out.print(f"{len(written) - 1} feedback pages and {written[-1]}", markup=False)


@app.command("review")
def review(
    target: Annotated[str, typer.Argument(help="A `grade --out` folder, or `apply`.")],
    sheet: Annotated[Path | None, typer.Argument(help="With `apply`: the filled sheet.")] = None,
    question: Annotated[str | None, typer.Option(help="The question to review, e.g. q1.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html, csv or yaml.")] = "html",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Sheet folder / overrides file.")
    ] = None,
    reviewer: Annotated[str | None, typer.Option(help="With `apply`: who reviewed.")] = None,
    lang: Annotated[LangChoice | None, typer.Option(help="Page language.")] = None,
) -> None:
    """Group a class's answers to one question for review; `review apply SHEET` writes overrides."""
    from autograder import review as reviewing  # noqa: PLC0415  # scikit-learn is slow to import

    language = choose_language(lang.value if lang else None, None)
    message = reviewing.run_command(target, sheet, question, fmt, out, reviewer, language)
    _out.print(message, markup=False)


@rubric_app.command("validate")
def rubric_validate(
    files: Annotated[list[Path], typer.Argument(help="Rubric YAML files to check.")],
) -> None:
    """Check rubric files; print each problem with its YAML line."""
    failed = False
    for file in files:
        try:
            loaded = load_rubric(file)
        except RubricError as exc:
            failed = True
            for problem in exc.problems_in(locale_language()):
                _err.print(problem, markup=False)
            continue
        rubric = loaded.rubric
        _out.print(
            f"{file}: ok ({len(rubric.checks)} checks, {rubric.max_points:g} points)",
            markup=False,
        )
    if failed:
        raise typer.Exit(EXIT_USAGE)


@rubric_app.command("test")
def rubric_test(
    ctx: typer.Context,
    rubric: Annotated[Path, typer.Argument(help="The rubric whose `examples` are graded.")],
    data: DataOption = DataChoice.real,
    fraction: Annotated[
        float, typer.Option(min=0.0001, max=1.0, help="Train on this fraction of the data.")
    ] = 1.0,
    seed: SeedOption = 0,
) -> None:
    """Grade the examples a rubric declares, as `grade` does; a diff when a verdict differs.

    Exits 1 when any expected verdict differs: CI for a rubric.
    """
    from autograder.authoring.examples import diff_lines, run_examples  # noqa: PLC0415
    from autograder.grading.options import GradeOptions  # noqa: PLC0415  # see top
    from autograder.grading.session import open_grader  # noqa: PLC0415
    from autograder.reference.train import reference_provider  # noqa: PLC0415
    from autograder.submissions import Submission  # noqa: PLC0415

    loaded = load_rubric(rubric)
    options = GradeOptions(data=DataOptions(source=data.value, fraction=fraction), seed=seed)
    provider = reference_provider(_announce_training)
    with (
        tempfile.TemporaryDirectory(prefix="autograder-rubric-test-") as logs,
        open_grader(
            loaded,
            options,
            reference=provider,
            backends=_backends(ctx),
            log=Path(logs) / "grader.log",
        ) as grader,
    ):
        outcomes = run_examples(
            loaded, lambda path: grader.grade(Submission(id=path.stem, path=path))
        )
    for line in diff_lines(outcomes, locale_language()):
        _out.print(line, markup=False, soft_wrap=True)
    if not all(outcome.ok for outcome in outcomes):
        raise typer.Exit(EXIT_FAILED)


@rubric_app.command("schema")
def rubric_schema() -> None:
    """Print the rubric JSON Schema (for editors and CI validation)."""
    sys.stdout.write(json.dumps(rubric_json_schema(), indent=2) + "\n")


@schema_app.command("result")
def schema_result() -> None:
    """Print the JSON Schema of result.json."""
    sys.stdout.write(json.dumps(result_json_schema(), indent=2) + "\n")


@env_app.command("sync")
def env_sync(
    rubric: RubricOption,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when cached.")] = False,
) -> None:
    """Build the rubric's kernel environment now, so that grading needs no network."""
    _out.print(environments.sync(load_rubric(rubric), force=force), markup=False, soft_wrap=True)


def _backends(ctx: typer.Context) -> Backends:
    """The kernel runner and evaluator ``main`` was given (tests), else the real ones."""
    from autograder.grading.grader import Backends  # noqa: PLC0415  # see top

    given = ctx.find_root().obj
    return given if isinstance(given, Backends) else Backends()


# assign's and rubric init's drafting options, shared so that their help never drifts apart.
_DraftFraction = Annotated[
    float,
    typer.Option(min=0.0001, max=1.0, help="Train the reference on this fraction of the data."),
]
_DraftTimeout = Annotated[
    float | None,
    typer.Option(min=1.0, help="Seconds the reference may run (default: the rubric's)."),
]
_DraftForce = Annotated[
    bool, typer.Option("--force", help="Replace an existing rubric file (its edits are lost).")
]


def _draft(
    ctx: typer.Context,
    reference: Path,
    dataset: str,
    out: Path,
    options: tuple[DataChoice, float, int, float | None],
    force: bool,
) -> None:
    """Run ``reference`` through the grading pipeline and write the drafted rubric to ``out``."""
    from autograder.authoring import rubric_init  # noqa: PLC0415  # see top
    from autograder.grading.options import GradeOptions  # noqa: PLC0415
    from autograder.grading.session import open_grader  # noqa: PLC0415

    data, fraction, seed, timeout = options
    name = rubric_init.dataset_name(dataset)
    rubric_init.refuse_overwrite(out, force=force)  # before minutes of training, not after
    probe = rubric_init.probe_rubric(reference, name, out)
    grade_options = GradeOptions(
        data=DataOptions(source=data.value, fraction=fraction), timeout_s=timeout, seed=seed
    )
    with (
        tempfile.TemporaryDirectory(prefix="autograder-rubric-init-") as logs,
        open_grader(
            probe, grade_options, backends=_backends(ctx), log=Path(logs) / "grader.log"
        ) as grader,
        _err.status("training the reference solution…"),
    ):
        measured = rubric_init.measure_reference(grader, reference)
    loaded = rubric_init.write_draft(measured, reference, name, out, force=force)
    accuracy = measured.model.test_accuracy
    line = text(
        "authoring.drafted",
        locale_language(),
        path=out,
        checks=len(loaded.rubric.checks),
        points=loaded.rubric.max_points,
        accuracy="n/a" if accuracy is None else f"{accuracy:.4f}",
    )
    _out.print(line, markup=False, soft_wrap=True)


@rubric_app.command("init")
def rubric_init_command(
    ctx: typer.Context,
    reference: Annotated[Path, typer.Argument(help="The reference solution (.ipynb or .py).")],
    dataset: Annotated[
        str, typer.Option(help="The exercise's dataset: mnist, fashion_mnist, cifar10, cifar100.")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Where to write the rubric (default: next to REFERENCE)."),
    ] = None,
    data: DataOption = DataChoice.real,
    fraction: _DraftFraction = 1.0,
    seed: SeedOption = 0,
    timeout: _DraftTimeout = None,
    force: _DraftForce = False,
) -> None:
    """Draft a rubric from a reference solution, measured the way `grade` measures.

    The draft asks for the measured layers, exact parameter counts, compile and
    training settings, an accuracy bar and a gap limit relative to the reference;
    comments name each measured value and the points are split evenly.
    """
    target = out or reference.parent / "rubric.yaml"
    _draft(ctx, reference, dataset, target, (data, fraction, seed, timeout), force)


@app.command()
def assign(
    ctx: typer.Context,
    master: Annotated[Path, typer.Argument(help="The master notebook, with solution markers.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the two notebooks.")],
    rubric: Annotated[
        Path | None,
        typer.Option(
            help="The exercise's rubric, recorded in student.ipynb (default OUT/rubric.yaml)."
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            help="Also draft the rubric (as `rubric init`) from the reference, on this dataset."
        ),
    ] = None,
    data: DataOption = DataChoice.real,
    fraction: _DraftFraction = 1.0,
    seed: SeedOption = 0,
    timeout: _DraftTimeout = None,
    force: _DraftForce = False,
) -> None:
    """Write student.ipynb (solutions stripped) and reference.ipynb from a master notebook.

    With --dataset it also runs the reference and drafts the rubric at the path
    recorded in student.ipynb, as `autograder rubric init` does.
    """
    from autograder.authoring import rubric_init  # noqa: PLC0415  # see top
    from autograder.authoring.assign import write_assignment  # noqa: PLC0415

    target = rubric or out / "rubric.yaml"
    if dataset is not None:  # refused before any file is written
        rubric_init.dataset_name(dataset)
        rubric_init.refuse_overwrite(target, force=force)
    student, ref, done = write_assignment(master, out, rubric=target)
    lang = locale_language()
    _out.print(
        text(
            "authoring.assigned",
            lang,
            student=student,
            reference=ref,
            stubs=done.stubs,
            hidden=done.hidden,
        ),
        markup=False,
        soft_wrap=True,  # a path broken over two lines cannot be copied
    )
    if dataset is not None:
        _draft(ctx, ref, dataset, target, (data, fraction, seed, timeout), force)


def _exit_code(exc: AutograderError) -> int:
    if isinstance(exc, (UsageError, RubricError, DatasetError)):
        return EXIT_USAGE
    return EXIT_FAILED


def main(argv: list[str] | None = None, *, backends: Backends | None = None) -> int:
    """Run the CLI and return its exit code; testable without a subprocess.

    ``backends``: a fake kernel runner and measurer, for tests of whole commands.
    """
    mark("cli.main")
    try:
        code = app(args=argv, prog_name="autograder", standalone_mode=False, obj=backends)
    except RubricError as exc:  # in the reader's language, as `rubric validate` prints it
        _err.print(f"error: {rubric_summary(exc, locale_language())}", markup=False)
        return _exit_code(exc)
    except (AuthoringError, GpuError) as exc:
        line = text(exc.message_id, locale_language(), **exc.message_args)
        _err.print(f"error: {line}", markup=False)
        return _exit_code(exc)
    except AutograderError as exc:
        _err.print(f"error: {exc}", markup=False)
        return _exit_code(exc)
    except typer.Abort:
        _err.print("aborted", markup=False)
        return 130
    except typer.TyperException as exc:  # bad options or arguments, already worded by Typer
        _err.print(f"error: {exc.format_message()}", markup=False)
        return exc.exit_code if exc.exit_code != 1 else EXIT_USAGE
    return code if isinstance(code, int) else EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
