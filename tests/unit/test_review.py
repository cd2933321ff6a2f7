"""Review by groups: agreement with labels, and review -> review apply -> re-grade."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
import yaml

from autograder.artifacts import Artifacts
from autograder.checks.answers import check_answers
from autograder.checks.base import CheckContext
from autograder.cli import main
from autograder.execution.source import SourceCell
from autograder.overrides import apply_overrides, load_overrides
from autograder.results import DataInfo, GradeReport, RubricInfo, SubmissionInfo
from autograder.review import agreement, apply_sheet, load_labelled, read_sheet, write_review
from autograder.rubric import load_rubric
from autograder.rubric.models import AnswersCheck

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "fixtures" / "answers" / "labelled.yaml"
RUBRIC = load_rubric(ROOT / "rubrics" / "fashion-mnist.yaml").rubric
(CHECK,) = [c for c in RUBRIC.checks if isinstance(c, AnswersCheck)]
MEASURED_AGREEMENT = 0.90
"""bench/answers_agreement.py measures 86/86 on this set (tuned on it): the floor is the goal."""


def test_provisional_verdicts_agree_with_the_labels() -> None:
    items = load_labelled(LABELLED)
    assert len(items) >= 80
    assert {i.lang for i in items} == {"es", "en"}
    assert {i.q for i in items} == {q.id for q in CHECK.questions}
    result = agreement({q.id: q for q in CHECK.questions}, items)
    assert result.share >= MEASURED_AGREEMENT, result.disagreements
    assert result.wrong_full_credit == 0, result.disagreements


def _report(student: str, answer: str) -> GradeReport:
    cells = (SourceCell(index=1, cell_type="markdown", source=answer, tags=("answer:q1",)),)
    ctx = CheckContext(
        rubric=RUBRIC,
        model=None,
        no_model_reason="",
        artifacts=Artifacts(),
        execution=None,
        cells=cells,
    )
    check = check_answers(CHECK, ctx)
    return GradeReport(
        submission=SubmissionInfo(id=student, path=f"{student}.ipynb", sha256=None),
        rubric=RubricInfo(id=RUBRIC.id, sha256="r"),
        data=DataInfo(source="synthetic", fraction=0.02, dataset="fashion_mnist"),
        status="graded",
        score=check.points,
        max_score=check.max_points,
        checks=[check],
    )


CLASS = {
    "ana": "El modelo se evalúa con datos que nunca vio y se ajusta a los de entrenamiento.",
    "beto": "El modelo se evalúa con datos que nunca vio y se ajusta a los de entrenamiento!",
    "carla": "No sé. <!-- sobreajuste datos no vistos memoriza -->",
    "dani": '=HYPERLINK("http://x") <b>El entrenamiento</b> tardó mucho <script>x</script>',
}


def _write_out(out: Path, answers: dict[str, str]) -> list[GradeReport]:
    reports = [_report(s, a) for s, a in answers.items()]
    for report in reports:
        (out / report.submission.id).mkdir(parents=True, exist_ok=True)
        (out / report.submission.id / "result.json").write_text(report.model_dump_json())
    return reports


def _q1(report: GradeReport) -> dict[str, object]:
    rows = report.checks[0].details["answers"]  # type: ignore[index]
    return next(r for r in rows if r["id"] == "q1")


def test_review_then_apply_then_regrade_keeps_points_and_flags_a_changed_answer(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    _write_out(out, CLASS)
    sheet, path = write_review(out, "q1", "yaml", tmp_path / "review", "en")
    # The two retypings of one answer share a group; the hidden-markup one does not.
    groups = {a.student: g.group for g in sheet.groups for a in g.answers}
    assert groups["ana"] == groups["beto"] != groups["carla"]
    # The instructor fills the sheet: the group of ana and beto is worth 0.3, carla 0.
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for group in document["groups"]:
        members = {a["student"] for a in group["answers"]}
        if "ana" in members:
            group["points"] = 0.3
        for answer in group["answers"]:
            if answer["student"] == "carla":
                answer["points"] = 0.0
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    overrides = tmp_path / "overrides.yaml"
    count, skipped = apply_sheet(path, overrides, "Prof. Ruiz", datetime.date(2026, 12, 2))
    assert (count, skipped) == (3, 1)
    written = load_overrides(overrides).overrides
    assert {o.reviewer for o in written} == {"Prof. Ruiz"}
    assert all(o.answer_sha256 and o.question == "q1" for o in written)

    # Re-grade: same answers for ana and carla, beto edited his after the review.
    changed = {**CLASS, "beto": "Ahora digo otra cosa: el modelo memoriza los ejemplos vistos."}
    regraded = apply_overrides(
        load_overrides(overrides), [_report(s, a) for s, a in changed.items()]
    )
    by_student = {r.submission.id: r for r in regraded}
    ana, beto = _q1(by_student["ana"]), _q1(by_student["beto"])
    assert (ana["points"], ana["verdict"], ana["review"]) == (0.3, "reviewed", "kept")
    assert beto["verdict"] == "provisional"
    assert beto["review"] == "changed"
    assert by_student["beto"].checks[0].message_id == "answers.changed"
    assert "q1" in by_student["beto"].checks[0].message
    assert _q1(by_student["carla"])["points"] == 0.0
    assert by_student["ana"].checks[0].points == pytest.approx(0.3)
    assert [o.check for o in by_student["ana"].overrides] == ["answers"]
    assert by_student["beto"].overrides == []


def test_student_text_is_inert_in_html_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write_out(out, CLASS)
    _, page = write_review(out, "q1", "html", tmp_path / "r", "es")
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "<b>" not in html
    assert "http" not in html.split("</style>")[0]  # self-contained: nothing to fetch
    assert "Revisión de q1" in html
    _, sheet_csv = write_review(out, "q1", "csv", tmp_path / "r", "en")
    cells = [c for row in csv.reader(io.StringIO(sheet_csv.read_text("utf-8-sig"))) for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c[:1] in "=+-@" for c in cells if c)
    # And the CSV reads back as a sheet.
    assert sum(g.size for g in read_sheet(sheet_csv).groups) == len(CLASS)


def test_cli_review_and_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _write_out(out, CLASS)
    assert main(["review", str(out), "--question", "q1", "--format", "yaml"]) == 0
    sheet = out / "review" / "review-q1.yaml"
    assert sheet.exists()
    assert main(["review", "apply", str(sheet)]) == 2  # nobody said who reviewed
    assert "reviewer" in capsys.readouterr().err
    assert main(["review", "apply", str(sheet), "--reviewer", "R"]) == 0
    assert json.loads(json.dumps(yaml.safe_load((out / "review" / "overrides.yaml").read_text())))
    assert main(["review", str(out), "--question", "q9"]) == 2
