"""What every check receives and the helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from autograder.artifacts import Artifacts, RecordedCall
from autograder.execution.source import SourceCell
from autograder.i18n import Said, say, text
from autograder.measure.facts import ModelMeasurements
from autograder.results import (
    CheckResult,
    CheckStatus,
    DataInfo,
    ExecutionSummary,
    ExperimentRow,
    ReferenceSummary,
)
from autograder.rubric.models import Range, Rubric

if TYPE_CHECKING:  # checks.claims imports this module: the type only, no cycle
    from autograder.checks.claims import Claim


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at. Checks are pure functions of this."""

    rubric: Rubric
    model: ModelMeasurements | None
    """The graded model, measured by the grader; None when none was captured."""
    no_model_reason: str
    """Why ``model`` is None (shown in every check that needs it)."""
    artifacts: Artifacts
    execution: ExecutionSummary | None
    data: DataInfo | None = None
    """Which data the grader ran on (claims are only comparable on the real data)."""
    reference: ReferenceSummary | None = None
    """The reference solution's measurements, for reference-relative bounds."""
    claims: tuple[Claim, ...] = ()
    """Accuracies the student reported in the submitted file, oldest first."""
    experiments: list[ExperimentRow] = field(default_factory=list)
    """Every trained model, measured; filled only when the rubric asks for experiments."""
    cells: tuple[SourceCell, ...] = ()
    """The submission's cells as written (markdown answers); filled for answers checks."""

    def fits(self) -> list[RecordedCall]:
        """The recorded fit calls of the graded model, oldest first."""
        if self.model is None:
            return []
        return self.artifacts.calls_for(self.model.key, "fit")


class Problem(NamedTuple):
    """One setting that differs from the rubric: for the English message and the catalog."""

    setting: str
    found: Any
    expected: Any
    text: str
    """The English wording, as the check's ``message`` has always said it."""

    def said(self, message_id: str) -> Said:
        return say(message_id, setting=self.setting, found=self.found, expected=self.expected)


def result(
    check: Any,
    status: CheckStatus,
    message: str | Said,
    *,
    expected: Any = None,
    measured: Any = None,
    points: float | None = None,
    details: dict[str, Any] | None = None,
    said: Said | None = None,
) -> CheckResult:
    """Build a CheckResult; points default to all on pass and none otherwise.

    ``message`` is a catalog entry (:func:`autograder.i18n.say`); its English text is
    rendered from en.py, so no sentence is written twice.  A plain string with ``said``
    is the older form, kept while check families move over.
    """
    if isinstance(message, Said):
        said, message = message, text(message.id, "en", **message.args)
    if points is None:
        points = check.points if status == "pass" else 0.0
    return CheckResult(
        id=check.id,
        kind=check.kind,
        status=status,
        points=points,
        max_points=0.0 if status == "skipped" else check.points,
        message=message,
        expected=expected,
        measured=measured,
        details=details,
        message_id=said.id if said is not None else None,
        message_args=_plain(said.args) if said is not None else {},
    )


def _plain(args: dict[str, Any]) -> dict[str, Any]:
    """Catalog arguments as JSON keeps them: numbers and strings, anything else as text."""
    return {
        k: v if isinstance(v, (int, float, str)) or v is None else str(v) for k, v in args.items()
    }


def describe(spec: int | float | Range | None) -> Any:
    """A JSON-friendly form of an exact value or a range."""
    if isinstance(spec, Range):
        return spec.model_dump(exclude_none=True)
    return spec


def matches(spec: int | float | Range, value: float) -> bool:
    if isinstance(spec, Range):
        return spec.contains(value)
    return value == spec
