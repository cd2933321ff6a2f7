"""``autograder rubric init``: run a reference through the grading pipeline, draft its rubric.

The reference is graded as a submission would be (the same Grader: kernel, seeds,
the grader's data copy, the confined evaluator) against a *probe* rubric that asks
nothing of it; what the pipeline measured is then turned into the draft by
:func:`autograder.authoring.draft.draft_rubric`.  So the drafted bounds are the ones
``grade`` will see, not what the reference's source code appears to say.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import nbformat

from autograder.artifacts import RecordedCall
from autograder.authoring.draft import Draft, draft_rubric
from autograder.errors import AuthoringError, InvalidSubmissionError
from autograder.grading.grader import Grader
from autograder.i18n import text
from autograder.measure.facts import ModelMeasurements
from autograder.rubric import LoadedRubric, load_rubric
from autograder.rubric.models import AccuracyCheck, DatasetName, DatasetSpec, Rubric
from autograder.submissions import Submission

DATASETS: tuple[str, ...] = tuple(n for n in get_args(DatasetName) if n != "declared")
"""What ``--dataset`` accepts: the built-in datasets (a declared one is written by hand)."""

_ID_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


def _fail(key: str, **args: Any) -> AuthoringError:
    return AuthoringError(text(key, "en", **args), key, **args)


@dataclass(frozen=True)
class Measured:
    """What the pipeline measured of the reference: its graded model and that model's fits."""

    model: ModelMeasurements
    fits: list[RecordedCall]


def dataset_name(name: str) -> DatasetName:
    """``name`` as a rubric's dataset, or a one-line error listing the known ones."""
    for known in DATASETS:
        if name == known:
            return known  # type: ignore[return-value]  # one of DatasetName's literals
    raise _fail("authoring.unknown_dataset", name=name, known=", ".join(DATASETS))


def probe_rubric(reference: Path, dataset: DatasetName, rubric_path: Path) -> LoadedRubric:
    """A rubric in memory that only lets the pipeline run and measure ``reference``.

    Its one check is absolute (accuracy >= 0), so no reference run is needed to grade
    the reference itself.
    """
    if not reference.is_file():
        raise _fail("authoring.reference_missing", path=reference)
    rubric = Rubric(
        schema_version=1,
        id=rubric_id(rubric_path),
        title=rubric_id(rubric_path),
        dataset=DatasetSpec(name=dataset),
        checks=[AccuracyCheck(id="probe", points=1, min=0.0)],
    )
    return LoadedRubric(rubric=rubric, path=rubric_path, sha256="0" * 64)


def rubric_id(rubric_path: Path) -> str:
    """The exercise id: the rubric's folder name (``exercises/my-lab/rubric.yaml``: my-lab)."""
    folder = rubric_path.resolve().parent.name
    stem = rubric_path.stem if rubric_path.stem != "rubric" else folder
    return _ID_CHARS.sub("-", stem).strip("-.") or "exercise"


def measure_reference(grader: Grader, reference: Path) -> Measured:
    """Execute, extract and measure ``reference`` with ``grader``; errors name what failed."""
    submission = Submission(id="reference", path=reference)
    job_root = Path(tempfile.mkdtemp(prefix="autograder-rubric-init-"))
    try:
        try:
            executed = grader.execute(submission, job_root)
        except InvalidSubmissionError as exc:
            raise _fail("authoring.reference_invalid", path=reference, error=str(exc)) from None
        summary = executed.summary
        if summary.timed_out or summary.kernel_died:
            error = summary.message or "the kernel stopped"
            raise _fail("authoring.reference_unfinished", path=reference, error=error)
        if summary.errors:
            first = summary.errors[0]
            raise _fail(
                "authoring.reference_raised",
                path=reference,
                ename=first.ename,
                cell=first.cell,
                error=first.evalue,
            )
        measured = grader.measure(grader.extract(submission, executed))
    finally:
        if not grader.options.keep_jobs:
            shutil.rmtree(job_root, ignore_errors=True)
    if measured.model is None:
        raise _fail("authoring.reference_no_model", path=reference, error=measured.failure)
    fits = measured.artifacts.calls_for(measured.model.key, "fit")
    return Measured(model=measured.model, fits=fits)


def title_of(reference: Path, fallback: str) -> str:
    """The reference's first markdown heading, without "(solución de referencia)"-like tails."""
    if reference.suffix.lower() != ".ipynb":
        return fallback
    try:
        notebook = nbformat.read(reference, as_version=4)
    except (OSError, ValueError, KeyError, AttributeError):
        return fallback
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("#"):
                heading = re.sub(r"\s*\([^)]*\)\s*$", "", line.lstrip("#").strip())
                return heading or fallback
    return fallback


def write_draft(
    measured: Measured, reference: Path, dataset: DatasetName, out: Path, *, force: bool
) -> LoadedRubric:
    """Write the drafted rubric to ``out`` and load it back (the draft must validate)."""
    refuse_overwrite(out, force=force)
    identifier = rubric_id(out)
    draft = Draft(
        id=identifier,
        title=title_of(reference, identifier),
        dataset=dataset,
        reference=_relative(reference, out.parent),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(draft_rubric(measured.model, measured.fits, draft), encoding="utf-8")
    return load_rubric(out)


def refuse_overwrite(out: Path, *, force: bool) -> None:
    """An instructor's edited rubric is never replaced without ``--force``."""
    if out.exists() and not force:
        raise _fail("authoring.rubric_exists", path=out)


def _relative(path: Path, folder: Path) -> str:
    # os.path: pathlib's relative_to cannot walk up before Python 3.12.
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
