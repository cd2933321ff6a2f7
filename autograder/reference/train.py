"""Retrain the reference solution through the submission pipeline, and the policy that
decides when to: :func:`reference_provider`, the one every entry point hands to
:func:`~autograder.grading.grader.build_grader`.

The reference runs exactly like a student's notebook (same Grader: kernel bootstrap,
seeds, data copy and evaluator), so a threshold derived from it compares like with like.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from autograder.errors import InvalidSubmissionError, ReferenceSolutionError
from autograder.grading.grader import Backends, Grader, ReferenceProvider, ReferenceRun
from autograder.grading.options import GradeOptions
from autograder.grading.session import open_grader
from autograder.reference.cache import (
    Reference,
    ReferenceOutcome,
    ReferenceRecord,
    TrainSeed,
    cache_dir,
    make_key,
    reference_path,
    resolve_reference,
    save,
)
from autograder.results import ExecutionSummary, ReferenceSummary
from autograder.rubric import LoadedRubric
from autograder.submissions import Submission

Training = Callable[[Callable[[], ReferenceOutcome]], ReferenceOutcome]
"""Wraps a training run, e.g. to tell the user it started and how it ended."""


def train_reference(
    grader: Grader, directory: Path | None = None, *, seed: int | None = None
) -> ReferenceOutcome:
    """Run the reference in a kernel, measure it, store it; raises ReferenceSolutionError.

    ``seed``: the kernel's seed (default: the grader's); the data copy and the evaluator
    do not depend on it, so one grader trains every seed of ``reference --seeds N``.
    """
    if seed is not None and seed != grader.options.seed:
        grader = dataclasses.replace(
            grader, options=grader.options.model_copy(update={"seed": seed})
        )
    directory = directory or cache_dir()
    path = reference_path(grader.rubric)
    key = make_key(
        grader.rubric, grader.options.data, grader.options.seed, gpus=grader.options.gpus
    )
    submission = Submission(id="reference", path=path)
    job_root = Path(tempfile.mkdtemp(prefix="autograder-reference-"))
    try:
        try:
            executed = grader.execute(submission, job_root)
        except InvalidSubmissionError as exc:
            raise ReferenceSolutionError(f"reference solution: {exc}") from None
        _require_clean_run(path, executed.summary)
        extracted = grader.extract(submission, executed)
        measured = grader.measure(extracted)
        model = measured.model
        if model is None:
            raise ReferenceSolutionError(f"{path}: no model to measure: {measured.failure}")
        entry = ReferenceRecord(
            key=key,
            reference_path=str(path),
            summary=ReferenceSummary(
                **model.metrics.model_dump(),
                weights_sha256=model.weights_sha256,
                duration_s=executed.summary.duration_s,
                cache_key=key.digest(),
            ),
            history=measured.artifacts.history(model.key),
            score=0.0,
            max_score=0.0,
        )
        # Graded against its own rubric: a reference that loses points means the
        # rubric (or the reference) is wrong, and the instructor should hear it.
        checks = dataclasses.replace(grader, reference=entry).check(executed, extracted, measured)
        entry = entry.model_copy(
            update={
                "score": round(sum(c.points for c in checks), 4),
                "max_score": round(sum(c.max_points for c in checks), 4),
            }
        )
    finally:
        if not grader.options.keep_jobs:
            shutil.rmtree(job_root, ignore_errors=True)
    return ReferenceOutcome(record=entry, path=save(entry, directory), from_cache=False)


@contextlib.contextmanager
def seed_trainer(
    loaded: LoadedRubric,
    options: GradeOptions,
    *,
    backends: Backends | None = None,
    log: Path | None = None,
    training: Training | None = None,
) -> Iterator[TrainSeed]:
    """Trains the reference under any seed, all through one grader opened at the first
    call: a warm cache starts no evaluator and loads no data."""
    with contextlib.ExitStack() as stack:
        opened: list[Grader] = []

        def train(seed: int) -> ReferenceOutcome:
            if not opened:
                opened.append(
                    stack.enter_context(open_grader(loaded, options, backends=backends, log=log))
                )

            def run() -> ReferenceOutcome:
                return train_reference(opened[0], seed=seed)

            return run() if training is None else training(run)

        yield train


def reference_provider(training: Training | None = None) -> ReferenceProvider:
    """The reference-attach policy: the cached run, else trained when thresholds need it.

    ``training`` wraps a training run (the CLI announces it and shows a spinner).
    """

    def provide(grader: Grader) -> ReferenceRun | None:
        return resolve_for(grader.rubric, grader.options, lambda: grader, training)

    return provide


def resolve_for(
    rubric: LoadedRubric,
    options: GradeOptions,
    grader: Callable[[], Grader],
    training: Training | None = None,
) -> Reference | None:
    """:func:`reference_provider`'s policy, building the grader only if it must train."""

    def train(seed: int) -> ReferenceOutcome:
        if training is None:
            return train_reference(grader(), seed=seed)
        return training(lambda: train_reference(grader(), seed=seed))

    return resolve_reference(rubric, options.data, options.seed, train, gpus=options.gpus)


def fixed_reference(reference: ReferenceRun | None) -> ReferenceProvider:
    """A reference (one run, or the seeded runs) resolved once by the batch and carried
    to every worker."""
    return lambda _grader: reference


def _require_clean_run(path: Path, summary: ExecutionSummary) -> None:
    if summary.timed_out or summary.kernel_died:
        raise ReferenceSolutionError(f"{path}: the reference did not finish: {summary.message}")
    if summary.errors:
        first = summary.errors[0]
        raise ReferenceSolutionError(
            f"{path}: the reference raised {first.ename} at cell {first.cell}: {first.evalue}"
        )
