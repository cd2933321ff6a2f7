"""Results tables in markdown: rows read, matched to experiments, compared (real data)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from autograder.checks.base import CheckContext
from autograder.checks.claimed_table import check_claimed_table, find_table_claims, match_experiment
from autograder.execution.source import SourceCell, load_source
from autograder.results import DataInfo, ExperimentRow
from autograder.rubric.models import ClaimedTableCheck

if TYPE_CHECKING:
    from conftest import Build

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "submissions" / "mnist-experiments" / "correct.ipynb"
REAL = DataInfo(source="real", fraction=1.0, dataset="mnist")


def row(key: str, hidden: list[int], test: float, **fields: Any) -> ExperimentRow:
    activations = fields.pop("activations", ["relu"] * len(hidden))
    defaults: dict[str, Any] = {
        "architecture": "",
        "layer_types": ["Flatten", *["Dense"] * (len(hidden) + 1)],
        "hidden_units": hidden,
        "hidden_activations": activations,
        "learning_rate": 0.0010000000474974513,
        "epochs": 2,
        "batch_size": 32,
        "test_accuracy": test,
    }
    return ExperimentRow(model=key, **{**defaults, **fields})


def lab_rows() -> list[ExperimentRow]:
    """The correct lab's experiments, with the accuracies its table claims."""
    return [
        row("m0", [50], 0.95),
        row("m3", [300], 0.9788),
        row("m4", [500], 0.97),
        row("m5", [300, 50], 0.97),
        row("m6", [520, 300, 250, 130, 60], 0.9795),
        row("m7", [300, 50], 0.9578, activations=["sigmoid", "sigmoid"]),
        row("m8", [300, 100, 50], 0.9748, activations=["relu", "tanh", "sigmoid"]),
        row("m9", [300], 0.6422, batch_size=10000),
        row("m10", [300], 0.90, learning_rate=9.999999747378752e-05),
        row("m12", [300], 0.97, layer_types=["Flatten", "Dense", "Dropout", "Dense"], l2=True),
        row(
            "m13",
            [],
            0.99,
            layer_types=["Conv2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense"],
            hidden_activations=["relu", "relu"],
            batch_size=64,
        ),
    ]


def context(
    build: Build, rows: list[ExperimentRow], cells: tuple[SourceCell, ...], data: DataInfo
) -> CheckContext:
    return dataclasses.replace(build.context(None), data=data, experiments=rows, cells=cells)


def test_the_lab_table_is_read_row_by_row() -> None:
    claims = find_table_claims(load_source(LAB).cells)
    assert [(c.configuration, c.split) for c in claims] == [
        ("1 capa oculta de 300", "test"),
        ("5 capas (520-300-250-130-60)", "test"),
        ("todo sigmoide", "test"),
        ("lote 10000", "test"),
        ("CNN", "test"),
    ]
    assert [c.claimed for c in claims] == pytest.approx([0.9788, 0.9795, 0.9578, 0.6422, 0.99])


def test_each_row_finds_the_experiment_it_describes() -> None:
    rows = lab_rows()
    claims = find_table_claims(load_source(LAB).cells)
    matched = [getattr(match_experiment(c, rows), "model", None) for c in claims]
    # The plain 300 model, not the 300-wide ones with batch 10,000, a low lr or dropout.
    assert matched == ["m3", "m6", "m7", "m9", "m13"]


def test_ambiguous_or_unexplained_rows_stay_unmatched() -> None:
    (claim,) = find_table_claims(
        (SourceCell(1, "markdown", "| Modelo | Accuracy |\n|---|---|\n| 2 capas | 90 % |"),)
    )
    rows = lab_rows()
    assert match_experiment(claim, rows) is None  # "2" is no width; nothing named
    (claim,) = find_table_claims(
        (SourceCell(1, "markdown", "| Modelo | Accuracy |\n|---|---|\n| 700 neuronas | 0.9 |"),)
    )
    assert match_experiment(claim, rows) is None


def test_claims_beyond_tolerance_are_flagged_on_real_data(build: Build) -> None:
    rows = lab_rows()
    rows[1] = rows[1].model_copy(update={"test_accuracy": 0.93})  # claims 97.88 %
    outcome = check_claimed_table(
        ClaimedTableCheck(id="t", points=0), context(build, rows, load_source(LAB).cells, REAL)
    )
    assert outcome.status == "fail"
    assert outcome.message.startswith("5 of 5 table rows matched to experiments; 1 not reproduced")
    assert "(claimed / measured): '1 capa oculta de 300': 0.9788 / 0.93" in outcome.message
    assert outcome.details is not None
    statuses = [r["status"] for r in outcome.details["rows"]]
    assert statuses == ["beyond tolerance", *["reproduced"] * 4]


def test_reproduced_table_passes_and_synthetic_data_skips(build: Build) -> None:
    cells = load_source(LAB).cells
    check = ClaimedTableCheck(id="t", points=0)
    assert check_claimed_table(check, context(build, lab_rows(), cells, REAL)).status == "pass"
    synthetic = DataInfo(source="synthetic", fraction=0.01, dataset="mnist")
    skipped = check_claimed_table(check, context(build, lab_rows(), cells, synthetic))
    assert skipped.status == "skipped"
    assert "synthetic data" in skipped.message
