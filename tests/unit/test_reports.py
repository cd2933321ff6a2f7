"""Console and JSON reports: golden snapshots, round trips and safe file names."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from autograder.errors import AutograderError
from autograder.reports.console import (
    NOTHING,
    compact,
    number,
    render_class_table,
    render_submission,
)
from autograder.reports.json_report import (
    result_json_schema,
    result_path,
    safe_dirname,
    summary_json_schema,
    write_result,
    write_summary,
)
from autograder.results import (
    CellError,
    CheckResult,
    ClassSummary,
    DataInfo,
    ExecutionSummary,
    GradeReport,
    Metrics,
    ReferenceSummary,
    RubricInfo,
    SkippedCell,
    SubmissionInfo,
)

Snapshot = Callable[[str, str], None]

RUBRIC = RubricInfo(id="fashion-mnist", sha256="ab" * 32)
DATA = DataInfo(source="synthetic", fraction=0.1, dataset="fashion_mnist")
LAYERS: list[dict[str, Any]] = [
    {"type": "Flatten", "output_shape": [None, 784]},
    {"type": "Dense", "units": 128, "activation": "relu"},
    {"type": "Dense", "units": 10, "activation": "softmax"},
]


def check(
    id: str,
    kind: str,
    status: str,
    points: tuple[float, float],
    message: str,
    *,
    expected: Any = None,
    measured: Any = None,
) -> CheckResult:
    return CheckResult.model_validate(
        {
            "id": id,
            "kind": kind,
            "status": status,
            "points": points[0],
            "max_points": points[1],
            "message": message,
            "expected": expected,
            "measured": measured,
        }
    )


def submission(id: str) -> SubmissionInfo:
    return SubmissionInfo(id=id, path=f"submissions/{id}.ipynb", sha256="cd" * 32)


def full_marks() -> GradeReport:
    return GradeReport(
        submission=submission("ana-garcia"),
        rubric=RUBRIC,
        data=DATA,
        status="graded",
        score=10,
        max_score=10,
        checks=[
            check(
                "architecture",
                "architecture",
                "pass",
                (2, 2),
                "layers match",
                expected=LAYERS,
                measured=LAYERS,
            ),
            check(
                "parameters",
                "parameters",
                "pass",
                (1, 1),
                "101,770 trainable parameters",
                expected={"trainable": 101770},
                measured={"trainable": 101770, "total": 101770},
            ),
            check(
                "training",
                "training",
                "pass",
                (1, 1),
                "ran 10 epochs with validation_split=0.2",
                expected={"epochs": {"min": 5, "max": 20}},
                measured={"epochs": 10},
            ),
            check(
                "test-accuracy",
                "accuracy",
                "pass",
                (5, 5),
                "test accuracy 0.8812 ≥ 0.85",
                expected={"min": 0.85},
                measured=0.8812,
            ),
            check(
                "overfitting",
                "overfitting_gap",
                "pass",
                (1, 1),
                "gap 0.0222 ≤ 0.05",
                expected={"max": 0.05},
                measured=0.0222,
            ),
        ],
        metrics=Metrics(
            test_accuracy=0.8812,
            test_loss=0.3312,
            train_accuracy=0.9034,
            train_loss=0.2651,
            overfitting_gap=0.0222,
            trainable_params=101770,
            total_params=101770,
        ),
        execution=ExecutionSummary(duration_s=41.27),
        graded_model="`model` (the only model fitted)",
        layers=LAYERS,
    )


def partial_with_cell_error() -> GradeReport:
    return GradeReport(
        submission=submission("Luis Pérez [late]"),
        rubric=RUBRIC,
        data=DATA,
        status="graded",
        score=7.5,
        max_score=10,
        checks=[
            check(
                "architecture",
                "architecture",
                "pass",
                (2, 2),
                "layers match",
                expected=LAYERS,
                measured=LAYERS,
            ),
            check(
                "parameters",
                "parameters",
                "pass",
                (1, 1),
                "101,770 trainable parameters",
                expected={"trainable": 101770},
                measured={"trainable": 101770},
            ),
            check(
                "training",
                "training",
                "partial",
                (0.5, 1),
                "ran 3 epochs; the exercise asks for 5 to 20",
                expected={"epochs": {"min": 5, "max": 20}},
                measured={"epochs": 3},
            ),
            check(
                "test-accuracy",
                "accuracy",
                "pass",
                (4, 5),
                "test accuracy 0.8523 ≥ 0.85",
                expected={"min": 0.85},
                measured=0.8523,
            ),
            check(
                "overfitting",
                "overfitting_gap",
                "error",
                (0, 1),
                "train accuracy could not be measured: [red]x[/red] is not a metric",
                expected={"max": 0.05},
                measured=None,
            ),
        ],
        metrics=Metrics(test_accuracy=0.8523, trainable_params=101770, total_params=101770),
        execution=ExecutionSummary(
            duration_s=12.04,
            errors=[
                CellError(
                    cell=7,
                    ename="KeyError",
                    evalue="'acc'",
                    excerpt="plt.plot(history.history['acc'])",
                )
            ],
            skipped_cells=[SkippedCell(cell=1, reason="shell escape: !pip install tensorflow")],
        ),
        graded_model="`model` (fitted in cell 5)",
    )


def invalid() -> GradeReport:
    return GradeReport(
        submission=submission("broken_notebook"),
        rubric=RUBRIC,
        data=DATA,
        status="invalid",
        message="not a notebook: JSON syntax error at line 12, column 5",
        score=0,
        max_score=10,
        execution=None,
    )


def timeout() -> GradeReport:
    return GradeReport(
        submission=submission("slow-trainer"),
        rubric=RUBRIC,
        data=DATA,
        status="timeout",
        message="stopped after the total limit of 900 s",
        score=2,
        max_score=10,
        checks=[
            check(
                "architecture",
                "architecture",
                "pass",
                (2, 2),
                "layers match",
                expected=LAYERS,
                measured=LAYERS,
            ),
            check("test-accuracy", "accuracy", "skipped", (0, 0), "no fitted model was captured"),
        ],
        execution=ExecutionSummary(
            duration_s=900.0,
            timed_out=True,
            message="cell 9 was still running at the total limit",
        ),
    )


REPORTS = {
    "full_marks": full_marks,
    "partial_cell_error": partial_with_cell_error,
    "invalid": invalid,
    "timeout": timeout,
}


def render(draw: Any, *args: Any, width: int = 120) -> str:
    console = Console(
        width=width, record=True, color_system=None, force_terminal=False, file=io.StringIO()
    )
    draw(*args, console)
    return console.export_text()


@pytest.mark.parametrize("name", list(REPORTS))
def test_submission_snapshot(name: str, snapshot: Snapshot) -> None:
    snapshot(f"console_{name}.txt", render(render_submission, REPORTS[name]()))


def test_class_table_snapshot(snapshot: Snapshot) -> None:
    reports = [make() for make in REPORTS.values()]
    snapshot("console_class_table.txt", render(render_class_table, reports))


def render_all_at(width: int) -> str:
    reports = [make() for make in REPORTS.values()]
    parts = [render(render_submission, report, width=width) for report in reports]
    return "".join(parts) + render(render_class_table, reports, width=width)


def squeezed_lines(text: str) -> list[str]:
    """Lines that, with the line before, end in a lone character: a column folded to 1 cell."""
    lines = text.splitlines()
    tails = [(line.strip("│ ").split() or [""])[-1] for line in lines]
    return [
        lines[i]
        for i in range(1, len(lines))
        if all(len(tail) == 1 and tail not in (NOTHING, "•") for tail in tails[i - 1 : i + 1])
    ]


def test_narrow_terminal_snapshot(snapshot: Snapshot) -> None:
    """80 columns, what Rich uses when output is piped: no word is split or squeezed."""
    text = render_all_at(80)
    snapshot("console_width_80.txt", text)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert squeezed_lines(text) == []
    words = text.split()
    for word in ("architecture", "test-accuracy", "overfitting", "ana-garcia", "slow-trainer"):
        assert word in words or f"{word}," in words, word
    assert "Luis Pérez [late]" in text
    assert "broken_notebook" in words
    # Messages and expected/measured keep their words on full-width lines under the check.
    assert "ran 3 epochs; the exercise asks for 5 to 20" in text
    assert f"expected epochs=5{NOTHING}20 · measured epochs=3" in text
    assert "failed checks: training, overfitting" in text


@pytest.mark.parametrize("width", [80, 100, 120, 160])
def test_fixed_columns_never_wrap(width: int) -> None:
    text = render_all_at(width)
    assert squeezed_lines(text) == []
    for status in ("✔ pass", "◐ partial", "! error", f"{NOTHING} skipped"):
        assert status in text
    assert "0.5/1" in text
    assert "7.5/10" in text


def test_wide_terminal_puts_the_message_in_its_own_column() -> None:
    line = next(
        line for line in render(render_submission, full_marks()).splitlines() if "training" in line
    )
    assert "1/1" in line
    assert "ran 10 epochs with validation_split=0.2" in line


def test_points_have_at_most_two_decimals() -> None:
    third = check("compile", "compile", "partial", (4 / 3, 2), "2 of 3 settings match")
    report = full_marks().model_copy(update={"checks": [third], "score": 19 / 3})
    text = render(render_submission, report) + render(render_class_table, [report])
    assert "1.33/2" in text
    assert "6.33 / 10" in text
    assert "6.33/10" in text
    assert "1.333" not in text
    assert "6.333" not in text


def test_every_report_states_data_source_and_fraction() -> None:
    for make in REPORTS.values():
        text = render(render_submission, make())
        assert "source: synthetic" in text
        assert "fraction: 0.1" in text


def test_not_graded_message_is_shown_before_the_checks() -> None:
    text = render(render_submission, timeout())
    assert text.index("Timed out: stopped after the total limit") < text.index("architecture")


def test_student_text_is_not_rich_markup() -> None:
    text = render(render_submission, partial_with_cell_error())
    assert "[red]x[/red]" in text
    assert "Luis Pérez [late]" in text


def test_rendering_writes_only_to_the_given_console(capsys: pytest.CaptureFixture[str]) -> None:
    render(render_submission, full_marks())
    render(render_class_table, [full_marks()])
    assert capsys.readouterr() == ("", "")


def test_empty_class_table() -> None:
    assert render(render_class_table, []).strip() == "No submissions."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, NOTHING),
        ({"min": 0.85}, "≥ 0.85"),
        ({"max": 0.05}, "≤ 0.05"),
        ({"min": 5, "max": 20}, f"5{NOTHING}20"),
        ({"min": 3, "max": 3}, "3"),
        (101770, "101,770"),
        (0.881234, "0.8812"),
        (True, "yes"),
        ({"trainable": 101770, "total": {"min": 1}}, "trainable=101,770, total=≥ 1"),
        ([{"type": "Flatten"}, {"type": "Dense", "units": 10}], "Flatten → Dense(10)"),
        (["accuracy", "loss"], "[accuracy, loss]"),
        ("x" * 70, "x" * 59 + "…"),
        ([{"type": "Flatten", "output_shape": [None, 784]}], "Flatten"),
        ("line one\nline two", "line one …"),
    ],
)
def test_compact(value: Any, expected: str) -> None:
    assert compact(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7.5, "7.5"),
        (10.0, "10"),
        (0.1 + 0.2, "0.3"),
        (2, "2"),
        (4 / 3, "1.33"),
        (19 / 3, "6.33"),
        (2 / 3, "0.67"),
        (1.999, "2"),
        (-0.001, "0"),
        (1_000_000.5, "1000000.5"),
    ],
)
def test_number(value: float, expected: str) -> None:
    assert number(value) == expected


# --- JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(REPORTS))
def test_result_round_trip(tmp_path: Path, name: str) -> None:
    report = REPORTS[name]()
    path = write_result(tmp_path, report)
    assert path == result_path(tmp_path, report.submission.id)
    assert path.name == "result.json"
    assert GradeReport.model_validate_json(path.read_bytes()) == report
    assert [p.name for p in path.parent.iterdir()] == ["result.json"], "temp file left behind"


def test_result_is_pretty_utf8_in_model_order(tmp_path: Path) -> None:
    path = write_result(tmp_path, partial_with_cell_error())
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert "Luis Pérez [late]" in text
    assert list(json.loads(text)) == list(GradeReport.model_fields)
    assert text.splitlines()[1].startswith('  "schema_version"')


def test_rewrite_replaces_the_result(tmp_path: Path) -> None:
    write_result(tmp_path, timeout())
    path = write_result(tmp_path, timeout().model_copy(update={"score": 3.0}))
    assert GradeReport.model_validate_json(path.read_bytes()).score == 3.0


def test_summary_round_trip(tmp_path: Path) -> None:
    summary = ClassSummary(
        rubric=RUBRIC, data=DATA, submissions=[make() for make in REPORTS.values()]
    )
    path = write_summary(tmp_path / "out", summary)
    assert path == tmp_path / "out" / "summary.json"
    assert ClassSummary.model_validate_json(path.read_bytes()) == summary


@pytest.mark.parametrize(
    ("submission_id", "dirname"),
    [
        ("ana-garcia", "ana-garcia"),
        ("María José Núñez", "María José Núñez"),
        ("../../etc/passwd", "%2E.%2F..%2Fetc%2Fpasswd"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("/abs/path", "%2Fabs%2Fpath"),
        ("a\\b", "a%5Cb"),
        ("C:evil", "C%3Aevil"),
        ("50%", "50%25"),
        ("tab\there", "tab%09here"),
        ("nul\x00byte", "nul%00byte"),
        ("trailing.", "trailing%2E"),
        ("CON", "%43ON"),
        ("con.ipynb", "%63on.ipynb"),
    ],
)
def test_safe_dirname(submission_id: str, dirname: str) -> None:
    assert safe_dirname(submission_id) == dirname


def test_safe_dirname_bounds_long_ids_and_keeps_them_distinct() -> None:
    first, second = safe_dirname("é" * 300 + "a"), safe_dirname("é" * 300 + "b")
    assert first != second
    assert len(first.encode("utf-8")) <= 200


def test_empty_id_is_rejected() -> None:
    with pytest.raises(AutograderError):
        safe_dirname("")


@pytest.mark.parametrize("crafted", ["../escape", "../../escape", "/tmp/escape", "..", "a/../../b"])
def test_crafted_id_stays_inside_out_dir(tmp_path: Path, crafted: str) -> None:
    out_dir = tmp_path / "out"
    report = invalid().model_copy(update={"submission": submission(crafted)})
    path = write_result(out_dir, report)
    assert path.resolve().parent.parent == out_dir.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_planted_symlink_is_refused(tmp_path: Path) -> None:
    out_dir, outside = tmp_path / "out", tmp_path / "outside"
    out_dir.mkdir()
    outside.mkdir()
    (out_dir / "victim").symlink_to(outside, target_is_directory=True)
    report = invalid().model_copy(update={"submission": submission("victim")})
    with pytest.raises(AutograderError, match="outside"):
        write_result(out_dir, report)
    assert list(outside.iterdir()) == []


def test_result_schema() -> None:
    schema = result_json_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert schema["title"] == "autograder result"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"submission", "rubric", "data", "status", "score", "checks"} <= set(
        schema["properties"]
    )
    assert schema["$defs"]["DataInfo"]["properties"]["source"]["description"]
    assert summary_json_schema()["title"] == "autograder class summary"


def test_result_schema_validates_a_written_result(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = result_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    path = write_result(tmp_path, partial_with_cell_error())
    jsonschema.Draft202012Validator(schema).validate(json.loads(path.read_text("utf-8")))


def test_fraction_keeps_its_precision() -> None:
    assert number(0.125, 4) == "0.125"
    report = full_marks().model_copy(
        update={"data": DataInfo(source="synthetic", fraction=0.125, dataset="fashion_mnist")}
    )
    assert "fraction: 0.125" in render(render_submission, report)


@pytest.mark.parametrize("width", [80, 120])
def test_class_table_keeps_ids_whole(width: int) -> None:
    failing = [
        check(name, name, "fail", (0, 1), "wrong")
        for name in ("architecture", "parameters", "test-accuracy")
    ]
    long_id = "a-really-long-submission-identifier-from-the-lms"
    reports = [
        full_marks().model_copy(update={"submission": submission("crash_halfway")}),
        full_marks().model_copy(
            update={"submission": submission("dense500x3"), "checks": failing, "score": 19 / 3}
        ),
        invalid().model_copy(update={"submission": submission(long_id)}),
    ]
    text = render(render_class_table, reports, width=width)
    words = text.split()
    assert {"crash_halfway", "dense500x3", "6.33/10", "10/10"} <= set(words)
    assert {"architecture,", "parameters,", "test-accuracy"} <= set(words)
    assert max(len(line) for line in text.splitlines()) <= width
    # Only an id longer than its column folds, and nothing of it is lost.
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("a-really-long"))
    pieces = [(line.split() or [""])[0] for line in lines[first : first + 3]]
    assert "".join(pieces) == long_id
    assert squeezed_lines(text) == []


def test_reference_line_shows_the_reference_measurements() -> None:
    reference = ReferenceSummary(
        test_accuracy=0.682, train_accuracy=0.83, overfitting_gap=0.148, duration_s=3.0,
        cache_key="k",
    )  # fmt: skip
    report = full_marks().model_copy(update={"reference": reference})
    text = render(render_submission, report, width=120)
    assert "Reference: test acc 0.6820 · train acc 0.8300 · gap +0.1480" in text
    assert "Reference:" not in render(render_submission, full_marks(), width=120)
