"""Manual overrides: validation with line numbers, and their effect on results."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from batch_fakes import report_for

from autograder.batch.runner import with_identity
from autograder.errors import OverridesError
from autograder.overrides import apply_overrides, load_overrides
from autograder.results import GradeReport
from autograder.submissions import Submission

FIXTURES = Path(__file__).parent.parent / "fixtures" / "overrides"


def _reports() -> list[GradeReport]:
    maria = Submission(id="María_12345", path=Path(__file__), student_id="12345")
    s01 = Submission(id="s01", path=Path(__file__))
    return [with_identity(report_for(sub), sub) for sub in (maria, replace(s01))]


def test_overrides_adjust_points_status_score_and_keep_the_comment() -> None:
    loaded = load_overrides(FIXTURES / "valid.yaml")
    maria, s01 = apply_overrides(loaded, _reports())
    acc = next(c for c in maria.checks if c.id == "acc")
    assert acc.points == 0.5
    assert acc.status == "partial"
    assert "[override: Copied the model" in acc.message
    assert maria.score == pytest.approx(0.5)
    assert maria.overrides[0].previous_points == 1.0
    gap = next(c for c in s01.checks if c.id == "gap")
    assert (gap.points, gap.status) == (1.0, "pass")
    assert s01.score == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("missing_comment.yaml", "missing_comment.yaml:2: overrides[0].comment: Field required"),
        ("negative_points.yaml", "negative_points.yaml:4: overrides[0].points: Input should be"),
        ("bad_yaml.yaml", "bad_yaml.yaml:2: YAML syntax error"),
    ],
)
def test_invalid_files_name_the_line(fixture: str, expected: str) -> None:
    with pytest.raises(OverridesError) as err:
        load_overrides(FIXTURES / fixture)
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("unknown_student.yaml", "unknown_student.yaml:2: no submission for student '99999'"),
        ("unknown_check.yaml", "unknown_check.yaml:2: student 's01' has no check 'accuracy-typo'"),
    ],
)
def test_overrides_that_match_nothing_are_errors(fixture: str, expected: str) -> None:
    loaded = load_overrides(FIXTURES / fixture)
    with pytest.raises(OverridesError, match=expected.replace(".", r"\.")):
        apply_overrides(loaded, _reports())
