"""``autograder check``: a student grades their own notebook before the deadline.

The same pipeline as ``grade`` (same kernel, same measurements, same checks), with
three differences: the rubric may come from the notebook's metadata, hidden checks
are left out, and ``--quick`` trains on a sliver of the data with an epoch cap, so
only the structural checks are decided; the others say so instead of guessing.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autograder.errors import UsageError
from autograder.grading.grader import Backends, ReferenceProvider
from autograder.grading.options import GradeOptions
from autograder.grading.session import open_grader
from autograder.i18n import say
from autograder.results import CheckResult, GradeReport
from autograder.rubric import LoadedRubric
from autograder.submissions import discover

QUICK_FRACTION = 0.02
"""--quick trains on 2% of each split: 1,200 Fashion-MNIST images, seconds per epoch."""
QUICK_EPOCHS = 1
DECIDED_IN_QUICK = frozenset({"architecture", "parameters", "compile", "answers"})
"""Check kinds whose verdict does not depend on how long or on how much data the model
trained (written answers are read from the notebook itself). Every other kind (also
kinds added later) is skipped in quick mode."""
FAILING = frozenset({"fail", "error"})


class SelfCheckOptions(BaseModel):
    """How ``autograder check`` runs, beyond what ``GradeOptions`` already says."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quick: bool = Field(default=False, description="Small data fraction and an epoch cap.")
    fraction: float = Field(default=QUICK_FRACTION, gt=0, le=1, description="Quick data share.")
    epochs: int = Field(default=QUICK_EPOCHS, ge=1, description="Quick epoch cap per fit call.")


def rubric_from_metadata(notebook: Path) -> Path | None:
    """``metadata.autograder.rubric`` of a notebook, resolved against the notebook's folder."""
    if notebook.suffix.lower() != ".ipynb":
        return None
    try:
        raw: Any = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # the grading pipeline reports an unreadable notebook properly
    meta = raw.get("metadata") if isinstance(raw, dict) else None
    section = meta.get("autograder") if isinstance(meta, dict) else None
    value = section.get("rubric") if isinstance(section, dict) else None
    if not isinstance(value, str) or not value.strip():
        return None
    return (notebook.parent / value).resolve()


def find_rubric(notebook: Path, flag: Path | None) -> Path:
    """The rubric to check against: ``--rubric``, else the notebook's metadata."""
    if flag is not None:
        return flag
    found = rubric_from_metadata(notebook)
    if found is None:
        raise UsageError(
            f"{notebook}: no rubric given; pass --rubric RUBRIC.yaml or set "
            '"autograder": {"rubric": "path/to/rubric.yaml"} in the notebook metadata'
        )
    if not found.is_file():
        raise UsageError(f"{notebook}: the rubric named in its metadata does not exist: {found}")
    return found


def public_rubric(loaded: LoadedRubric) -> tuple[LoadedRubric, int]:
    """The rubric without its hidden checks, and how many were hidden."""
    rubric = loaded.rubric
    shown = [c for c in rubric.checks if not c.hidden]
    hidden = len(rubric.checks) - len(shown)
    if not shown:
        raise UsageError(f"{loaded.path}: every check is hidden; nothing for students to run")
    public = rubric.model_copy(update={"checks": shown})
    return dataclasses.replace(loaded, rubric=public), hidden


def undecided(check: CheckResult) -> CheckResult:
    """A check that quick mode cannot decide: skipped, worth nothing either way."""
    said = say("check.quick_skipped")
    return check.model_copy(
        update={
            "status": "skipped",
            "points": 0.0,
            "max_points": 0.0,
            "message": "skipped: not decided in --quick mode",
            "message_id": said.id,
            "message_args": said.args,
            "details": None,
        }
    )


def apply_quick(report: GradeReport) -> GradeReport:
    """Skip the checks a quick run cannot decide and recompute the score."""
    checks = [c if c.kind in DECIDED_IN_QUICK else undecided(c) for c in report.checks]
    return report.model_copy(
        update={
            "checks": checks,
            "score": round(sum(c.points for c in checks), 4),
            "max_score": round(sum(c.max_points for c in checks), 4),
        }
    )


def required_failures(report: GradeReport, loaded: LoadedRubric) -> list[str]:
    """Ids of the required checks that failed; a submission that did not run fails them all."""
    required = [c.id for c in loaded.rubric.checks if c.required]
    if not report.checks:  # invalid notebook: nothing could be checked
        return required
    return [c.id for c in report.checks if c.id in required and c.status in FAILING]


def grade_options(settings: SelfCheckOptions, base: GradeOptions) -> GradeOptions:
    """``base`` with the quick-mode fraction and epoch cap applied when asked for."""
    if not settings.quick:
        return base
    data = base.data.model_copy(update={"fraction": settings.fraction})
    return base.model_copy(update={"data": data, "epoch_cap": settings.epochs})


def run_self_check(
    notebook: Path,
    loaded: LoadedRubric,
    settings: SelfCheckOptions,
    base: GradeOptions,
    *,
    reference: ReferenceProvider | None = None,
    backends: Backends | None = None,
) -> GradeReport:
    """Grade one notebook against ``loaded`` (already without hidden checks).

    ``reference``: how to get the reference run (None: thresholds go undecided);
    ``backends``: the kernel runner and evaluator (fakes in tests).
    """
    (submission,) = discover(notebook)
    options = grade_options(settings, base)
    with open_grader(loaded, options, reference=reference, backends=backends) as grader:
        report = grader.grade(submission)
    return apply_quick(report) if settings.quick else report
