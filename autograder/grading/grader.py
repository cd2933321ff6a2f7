"""One ``Grader``: DESIGN.md's stages as functions with typed input and output.

execute -> extract -> measure -> check -> assemble.  :meth:`Grader.score` composes the
last four, :meth:`Grader.grade` all five.  Nothing here prints; anything a student
does becomes a result, only the grader's own failures (bad rubric, unusable data)
raise.  Every entry point (grade, check, reference, the pytest plugin, the batch
worker, Dask) builds its Grader with :func:`build_grader`, so the pipeline exists
once; tests hand it a fake measurer or kernel runner instead of patching.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from autograder import datasets, environments
from autograder.artifacts import Artifacts, ExportedModel
from autograder.checks.base import CheckContext
from autograder.checks.claims import Claim, find_claims
from autograder.checks.experiments import experiment_row, holdout_of
from autograder.checks.registry import Need, needs_of, run_checks
from autograder.copies import adopt_original
from autograder.datasets import canaries, declared
from autograder.datasets.serving import kernel_options
from autograder.errors import EvaluationError, InvalidSubmissionError
from autograder.execution.gpus import GpuPool, GpuProbe, device_label, probe_gpus, resolve_gpus
from autograder.execution.runner import ExecutionRecord, JobPaths, RunOptions, run_source
from autograder.execution.source import SourceCell, SubmissionSource, load_source, read_cells
from autograder.grading import report
from autograder.grading.files import Executed, FileRun, merged_summary, pooled_artifacts
from autograder.grading.options import GradeOptions, run_options
from autograder.grading.quiet import native_stderr_to
from autograder.measure import Budget, Holdout, Measurer
from autograder.measure.data import grader_splits
from autograder.measure.facts import ModelMeasurements
from autograder.results import CheckResult, ExperimentRow, GradeReport, ReferenceSummary
from autograder.rubric import LoadedRubric
from autograder.selection import select_model
from autograder.submissions import Submission
from autograder.timing import mark

KernelRunner = Callable[[SubmissionSource, JobPaths, RunOptions], ExecutionRecord]
"""Runs one file in a fresh kernel: :func:`~autograder.execution.runner.run_source`."""


class ReferenceRun(Protocol):
    """What the grader reads of a reference run (a cache entry satisfies it, and so do
    the runs over the rubric's seeds)."""

    @property
    def summary(self) -> ReferenceSummary: ...

    @property
    def history(self) -> dict[str, list[float]]: ...

    @property
    def runs(self) -> tuple[ReferenceSummary, ...]:
        """Every seeded run, for spread-based thresholds; empty for one run."""
        ...


ReferenceProvider = Callable[["Grader"], ReferenceRun | None]
"""Given the grader (without a reference), the reference run: cached, trained, or none."""


@dataclass(frozen=True)
class Backends:
    """Where kernels run and models are measured: the real ones unless a test says so.

    Handed to every entry point (``cli.main(argv, backends=...)``, BatchRequest,
    open_grader), the way httpx tests hand a client a transport.
    """

    runner: KernelRunner = run_source
    measurer: Measurer | None = None
    """None: the confined evaluator process(es)."""
    gpus: GpuProbe = probe_gpus
    """The GPUs kernels may get (``--gpus auto`` picks from these)."""


@dataclass(frozen=True)
class KernelData:
    """What every kernel of a batch gets: the data copy and the Python environment."""

    datasets: Mapping[str, Path] = field(default_factory=dict)
    """Dataset name -> .npz served to ``load_data()`` in the kernel."""
    work_files: Mapping[str, Path] = field(default_factory=dict)
    """Files copied into each working dir (a declared dataset's .npz)."""
    environment: environments.Environment = field(default_factory=environments.default_environment)


def prepare_kernel_data(rubric: LoadedRubric, options: GradeOptions, directory: Path) -> KernelData:
    """Write the kernels' copy of the data once; raises DatasetError, KernelEnvironmentError."""
    env = environments.ensure(rubric)
    spec = rubric.rubric.dataset
    # The kernel gets whole splits (a fraction shortens its fits); the grader
    # measures on the fraction.
    whole = kernel_options(options.data)
    # Secret canary rows in the kernel's test copy only (datasets/canaries.py); the
    # directory is per grader, so the file name need not carry the canary key.
    tag = f"canaries-{options.data.fraction!r}"
    if spec.declared is not None:
        name = spec.declared.name
        npz = directory / f"{name}-{declared.fingerprint(spec.declared)}-full-{tag}.npz"
    else:
        name = spec.name
        npz = directory / datasets.npz_name(name, whole).replace(".npz", f"-{tag}.npz")
    if not npz.exists():
        planted = canaries.for_spec(spec)
        datasets.save_npz(
            canaries.plant(grader_splits(spec, whole), planted, options.data.fraction), npz
        )
    if spec.declared is not None:
        return KernelData(work_files={f"{name}.npz": npz}, environment=env)
    return KernelData(datasets={name: npz}, environment=env)


@dataclass(frozen=True)
class Extracted:
    """What the run and the submitted files hold, before anything is measured."""

    artifacts: Artifacts
    claims: tuple[Claim, ...] = ()
    cells: tuple[SourceCell, ...] = ()


@dataclass(frozen=True)
class Measured:
    """The graded model (chosen, measured) and, when a check needs them, every trained
    model, measured."""

    artifacts: Artifacts
    """The extracted artifacts; a reloaded copy linked to its original (copies.py)."""
    chosen: ExportedModel | None
    why: str
    """Which model is graded and why (or why none is)."""
    model: ModelMeasurements | None
    failure: str
    """Why ``model`` is None; empty when it was measured."""
    experiments: list[ExperimentRow] = field(default_factory=list)


@dataclass(frozen=True)
class Grader:
    """The pipeline for one rubric and one set of options; build it with build_grader."""

    rubric: LoadedRubric
    options: GradeOptions
    measurer: Measurer
    kernel: KernelData = field(default_factory=KernelData)
    reference: ReferenceRun | None = None
    runner: KernelRunner = run_source
    gpus: GpuPool = field(default_factory=GpuPool)
    """Each kernel leases one GPU for its run; an empty pool: every kernel on CPU."""

    @property
    def needs(self) -> frozenset[Need]:
        return needs_of(self.rubric.rubric)

    @property
    def run_options(self) -> RunOptions:
        return run_options(self.rubric, self.options, self.kernel.datasets, self.kernel.environment)

    # --- the stages ------------------------------------------------------------------

    def execute(self, submission: Submission, job_root: Path) -> Executed:
        """Run every file of the submission, each in its own kernel, in name order.

        Raises InvalidSubmissionError when no file can be run; one unreadable file
        among several is reported and the others still run.
        """
        files = self.files_of(submission)
        runs, refused = [], []
        for index, path in enumerate(files):
            try:
                source = load_source(path)
            except InvalidSubmissionError as exc:
                if len(files) == 1:
                    raise
                refused.append(str(exc))
                continue
            job = JobPaths(job_root / f"run{index}")
            self._stage(submission, path, job)
            with self.gpus.lease() as gpu:
                record = self.runner(source, job, dataclasses.replace(self.run_options, gpu=gpu))
            # The device is what the grader assigned, never what the kernel reports.
            summary = record.summary.model_copy(update={"device": device_label(gpu)})
            runs.append(FileRun(path, dataclasses.replace(record, summary=summary)))
        if not runs:
            raise InvalidSubmissionError("; ".join(refused))
        return Executed(tuple(runs), merged_summary(runs, refused), job_root, files)

    def files_of(self, submission: Submission) -> tuple[Path, ...]:
        """The files that run: the submission's, narrowed by the rubric's pattern."""
        files = submission.files or (submission.path,)
        pattern = self.rubric.rubric.submission_files
        if pattern is None:
            return files
        kept = tuple(p for p in files if p.match(pattern))
        if not kept:
            names = ", ".join(p.name for p in files)
            raise InvalidSubmissionError(f"no file matches the rubric's `{pattern}` ({names})")
        return kept

    def _stage(self, submission: Submission, path: Path, job: JobPaths) -> None:
        job.create()
        if submission.root is not None:
            shutil.copytree(
                submission.root,
                job.work,
                symlinks=True,  # never follow a student's link out of their folder
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
        else:
            shutil.copy2(path, job.work / path.name)
        for name, copy in self.kernel.work_files.items():
            # The grader's copy replaces any the student shipped: it is what gets measured.
            (job.work / name).unlink(missing_ok=True)
            shutil.copyfile(copy, job.work / name)

    def extract(self, submission: Submission, executed: Executed) -> Extracted:
        """The captured models (pooled over files), the graded one, and what the files say."""
        artifacts = pooled_artifacts(executed)
        # Every file, also one with no code to run (the written answers' notebook).
        files = executed.files or tuple(run.file for run in executed.runs)
        needs = self.needs
        claims = tuple(c for f in files for c in find_claims(f)) if "claims" in needs else ()
        cells = tuple(c for f in files for c in _cells(f)) if "cells" in needs else ()
        return Extracted(artifacts, claims, cells)

    def measure(self, extracted: Extracted) -> Measured:
        """Choose the graded model (selection.py) and measure it, and every trained model
        when checks need them.

        Every model goes through the measurer (the evaluator process), within one
        time budget per submission; a model is measured once per holdout.
        """
        limits = self.options.limits
        budget = Budget(self.options.evaluation_budget_s or 4 * limits.evaluation_timeout_s)
        artifacts = extracted.artifacts
        # A reason that starts with NUL: the model was never exported (see _unexported).
        done: dict[tuple[str, Holdout | None], ModelMeasurements | str] = {}

        def measured(exported: ExportedModel, holdout: Holdout | None) -> ModelMeasurements | str:
            if (exported.key, holdout) not in done:
                path = _exported_path(artifacts, exported)
                done[exported.key, holdout] = (
                    f"\0{path}"
                    if isinstance(path, str)
                    else self._measure_one(path, exported, budget, holdout)
                )
            return done[exported.key, holdout]

        def for_selection(exported: ExportedModel) -> ModelMeasurements | None:
            outcome = measured(exported, None)
            return None if isinstance(outcome, str) else outcome

        selection = select_model(artifacts, self.rubric.rubric, for_selection)
        chosen, why = selection.model, selection.why
        model, failure = _graded(chosen, why, selection.measured or measured)
        if chosen is not None and model is not None:
            # A copy the notebook reloaded from its own save is graded as the model that saved it.
            adopted = adopt_original(
                chosen,
                model,
                artifacts,
                lambda path, key: self.measurer.measure(path, key, budget=budget),
            )
            artifacts, model = adopted.artifacts, adopted.model
            why = f"{why}; {adopted.note}" if adopted.note else why
        if "experiments" not in self.needs:
            return Measured(artifacts, chosen, why, model, failure)
        rows = []
        for exported in artifacts.models:
            fits = artifacts.calls_for(exported.key, "fit")
            if exported.fitted and fits:
                outcome = measured(exported, holdout_of(fits[-1]))
                if isinstance(outcome, str):
                    outcome = _unexported(outcome, "could not be exported")
                rows.append(experiment_row(exported, fits, outcome))
        return Measured(artifacts, chosen, why, model, failure, rows)

    def _measure_one(
        self, path: Path, exported: ExportedModel, budget: Budget, holdout: Holdout | None
    ) -> ModelMeasurements | str:
        try:
            return self.measurer.measure(path, exported.key, holdout=holdout, budget=budget)
        except EvaluationError as exc:
            return str(exc)

    def check(
        self, executed: Executed, extracted: Extracted, measured: Measured
    ) -> list[CheckResult]:
        """Run the rubric's checks on everything gathered so far."""
        context = CheckContext(
            rubric=self.rubric.rubric,
            model=measured.model,
            no_model_reason=measured.failure,
            artifacts=measured.artifacts,
            execution=executed.summary,
            data=report.data_info(self.rubric, self.options),
            reference=self.reference.summary if self.reference else None,
            reference_runs=self.reference.runs if self.reference else (),
            claims=extracted.claims,
            experiments=measured.experiments,
            cells=extracted.cells,
        )
        return run_checks(self.rubric.rubric, context)

    def assemble(
        self,
        submission: Submission,
        executed: Executed,
        extracted: Extracted,
        measured: Measured,
        checks: list[CheckResult],
    ) -> GradeReport:
        """The result: plain data, as result.json holds it."""
        return report.assemble(
            report.Parts(
                rubric=self.rubric,
                options=self.options,
                submission=submission,
                executed=executed,
                chosen=measured.chosen,
                why=measured.why,
                artifacts=measured.artifacts,
                model=measured.model,
                experiments=measured.experiments,
                checks=checks,
                reference=self.reference,
                protection=self.measurer.protection,
            )
        )

    # --- compositions ------------------------------------------------------------------

    def score(self, submission: Submission, executed: Executed) -> GradeReport:
        """Everything after execution."""
        extracted = self.extract(submission, executed)
        measured = self.measure(extracted)
        mark("measured")
        checks = self.check(executed, extracted, measured)
        mark("checked")
        return self.assemble(submission, executed, extracted, measured, checks)

    def grade(self, submission: Submission) -> GradeReport:
        """Grade one submission. Student mistakes become statuses, never exceptions."""
        job_root = Path(tempfile.mkdtemp(prefix="autograder-job-"))
        try:
            try:
                executed = self.execute(submission, job_root)
            except InvalidSubmissionError as exc:
                return report.failed(self.rubric, self.options, submission, "invalid", str(exc))
            return self.score(submission, executed)
        except Exception as exc:  # noqa: BLE001  # the batch's last line of defence
            # One submission that trips the grader (an unreadable folder, a kernel-made
            # file the grader cannot handle) becomes an error result, never a lost batch.
            detail = str(exc).splitlines()[0] if str(exc) else ""
            message = f"{type(exc).__name__}: {detail}".rstrip(": ")
            return report.failed(self.rubric, self.options, submission, "error", message)
        finally:
            if not self.options.keep_jobs:
                shutil.rmtree(job_root, ignore_errors=True)


def _graded(
    chosen: ExportedModel | None,
    why: str,
    measured: ModelMeasurements
    | Callable[[ExportedModel, Holdout | None], ModelMeasurements | str],
) -> tuple[ModelMeasurements | None, str]:
    """The graded model's measurement, or why there is none."""
    if chosen is None:
        return None, why
    outcome = measured if isinstance(measured, ModelMeasurements) else measured(chosen, None)
    if isinstance(outcome, str):
        return None, _unexported(outcome, "the model could not be exported from the kernel")
    return outcome, ""


def _unexported(outcome: str, prefix: str) -> str:
    """The message for a failed measurement; an export that never happened gets ``prefix``."""
    return f"{prefix}: {outcome[1:]}" if outcome.startswith("\0") else outcome


def _exported_path(artifacts: Artifacts, exported: ExportedModel) -> Path | str:
    """The model's export, or why there is none."""
    path = artifacts.model_path(exported)
    return path if path is not None else (exported.save_error or "the model was never exported")


def _cells(path: Path) -> tuple[SourceCell, ...]:
    # Read again rather than threaded through execution: it ran, so it parses.
    try:
        return read_cells(path)
    except InvalidSubmissionError:
        return ()


def build_grader(
    rubric: LoadedRubric,
    options: GradeOptions,
    *,
    measurer: Measurer,
    data_dir: Path,
    reference: ReferenceProvider | None = None,
    runner: KernelRunner = run_source,
    log: Path | None = None,
    gpus: GpuProbe = probe_gpus,
) -> Grader:
    """The one way to get a Grader: kernel data written to ``data_dir``, reference resolved.

    ``reference`` is asked once, with the grader it will join (a reference is trained
    through the very same pipeline).  ``log``: where TensorFlow's native chatter goes
    while real data loads (fd 2 is redirected meanwhile: call it before threads start).
    ``gpus``: the machine's GPUs, of which ``options.gpus`` chooses (raises GpuError).
    """
    pool = GpuPool(resolve_gpus(options.gpus, gpus))
    with native_stderr_to(log) if log is not None else contextlib.nullcontext():
        kernel = prepare_kernel_data(rubric, options, data_dir)
    mark("data.ready")
    grader = Grader(rubric, options, measurer, kernel, runner=runner, gpus=pool)
    if reference is None:
        return grader
    return dataclasses.replace(grader, reference=reference(grader))
