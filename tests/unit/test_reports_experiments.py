"""The experiments table in the console report, built from plain ExperimentRows."""

from __future__ import annotations

import io

from rich.console import Console

from autograder.reports.console import render_submission
from autograder.results import DataInfo, ExperimentRow, GradeReport, RubricInfo, SubmissionInfo
from tests.conftest import Snapshot

WIDTHS = [50, 100, 200, 300, 500]
CNN_LAYERS = [
    *("Conv2D", "BatchNormalization", "Conv2D", "MaxPooling2D", "Conv2D"),
    *("BatchNormalization", "MaxPooling2D", "Flatten", "Dropout", "Dense"),
]


def _row(index: int, hidden: list[int], **fields: object) -> ExperimentRow:
    activation = str(fields.pop("activation", "relu"))
    defaults: dict[str, object] = {
        "architecture": "unused for dense networks",
        "layer_types": ["Flatten", *["Dense"] * (len(hidden) + 1)],
        "hidden_units": hidden,
        "hidden_activations": [activation] * len(hidden),
        "trainable_params": 784 * hidden[0] + hidden[0] + hidden[-1] * 10 + 10 if hidden else 0,
        "optimizer": "adam",
        "learning_rate": 0.0010000000474974513,
        "epochs": 3,
        "batch_size": 32,
        "train_accuracy": 0.9 + index / 100,
        "val_accuracy": 0.85 + index / 100,
        "val_source": "split",
        "test_accuracy": 0.86 + index / 100,
        "gap": 0.04,
        "training_s": 10.0 + index,
    }
    return ExperimentRow(model=f"m{index}", **{**defaults, **fields})


def lab_report() -> GradeReport:
    rows = [_row(i, [w]) for i, w in enumerate(WIDTHS)]
    rows.append(_row(5, [300, 100, 50], hidden_activations=["relu", "tanh", "sigmoid"]))
    rows.append(
        _row(
            6,
            [],
            trainable_params=59_626,
            layer_types=CNN_LAYERS,
            hidden_activations=["relu"] * 3,
            optimizer="rmsprop",
            batch_size=64,
            val_source="test",
            variables=["model"],
        )
    )
    rows.append(
        ExperimentRow(model="m7", architecture="unknown", epochs=1, error="could not be loaded")
    )
    return GradeReport(
        submission=SubmissionInfo(id="lab", path="lab.ipynb", sha256=None),
        rubric=RubricInfo(id="mnist-experiments", sha256="0" * 64),
        data=DataInfo(source="synthetic", fraction=0.01, dataset="mnist"),
        status="graded",
        score=0,
        max_score=0,
        experiments=rows,
    )


def _render(width: int) -> str:
    console = Console(
        width=width, record=True, color_system=None, force_terminal=False, file=io.StringIO()
    )
    render_submission(lab_report(), console)
    return console.export_text()


def test_experiments_table_snapshot(snapshot: Snapshot) -> None:
    snapshot("console_experiments.txt", _render(80))


def test_every_width_of_a_sweep_has_its_row_at_80_columns() -> None:
    lines = _render(80).splitlines()
    assert all(len(line) <= 80 for line in lines)
    for index, width in enumerate(WIDTHS):
        (line,) = [line for line in lines if f" m{index} " in line]
        assert f"{width} relu" in line
        assert f"{0.86 + index / 100:.3f}" in line  # the test accuracy, on the same line
    assert any("300 relu, 100" in line for line in lines)  # mixed activations, wrapped
    assert any("Conv" in line and "BNx2" in line for line in lines)


def test_regularised_dense_models_say_so() -> None:
    report = lab_report()
    regularised = _row(8, [300], layer_types=["Flatten", "Dense", "Dropout", "Dense"], l2=True)
    report = report.model_copy(update={"experiments": [regularised]})
    console = Console(width=80, record=True, color_system=None, file=io.StringIO())
    render_submission(report, console)
    assert "300 relu +Drop +L2" in console.export_text()
