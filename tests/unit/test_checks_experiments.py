"""The experiments check on hand-built experiments tables (no kernel, no Keras)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from autograder.artifacts import RecordedCall
from autograder.checks.base import CheckContext
from autograder.checks.experiments import check_experiments, holdout_of
from autograder.measure.keras_model import validation_start
from autograder.results import ExperimentRow, ReferenceSummary
from autograder.rubric.models import ExperimentsCheck, ExperimentSpec, Range, ReferenceBound

WIDTHS = [50, 100, 200, 300, 500]


def row(key: str, hidden: list[int], **fields: Any) -> ExperimentRow:
    activation = fields.pop("activation", "relu")
    defaults: dict[str, Any] = {
        "architecture": "Flatten > " + " > ".join(f"Dense({u}, {activation})" for u in hidden),
        "layer_types": ["Flatten", *["Dense"] * (len(hidden) + 1)],
        "hidden_units": hidden,
        "hidden_activations": [activation] * len(hidden),
        "optimizer": "adam",
        "learning_rate": 0.0010000000474974513,
        "epochs": 5,
        "batch_size": 32,
        "val_accuracy": 0.9,
        "val_source": "split",
    }
    return ExperimentRow(model=key, **{**defaults, **fields})


def context(build: Any, rows: list[ExperimentRow]) -> CheckContext:
    base = build.context(None)
    return CheckContext(
        rubric=base.rubric,
        model=None,
        no_model_reason="",
        artifacts=base.artifacts,
        execution=None,
        experiments=rows,
    )


LAB = ExperimentsCheck(
    id="experiments",
    points=7,
    require=[
        ExperimentSpec(id="widths", each_width=WIDTHS, hidden_layers=1, weight=2),
        ExperimentSpec(id="deep", hidden_layers=Range(min=5)),
        ExperimentSpec(id="sigmoid", hidden_activation="sigmoid"),
        ExperimentSpec(id="big-batch", batch_size=10000),
        ExperimentSpec(id="lr-low", learning_rate=0.0001),
        ExperimentSpec(id="cnn", layers={"Conv2D": Range(min=3)}, min_val_accuracy=0.9),
    ],
)


def full_lab() -> list[ExperimentRow]:
    rows = [row(f"m{i}", [w]) for i, w in enumerate(WIDTHS)]
    return [
        *rows,
        row("m5", [520, 300, 250, 130, 60]),
        row("m6", [128], activation="sigmoid"),
        row("m7", [128], batch_size=10000),
        row("m8", [128], learning_rate=9.999999747378752e-05),
        row(
            "m9",
            [128],
            layer_types=["Conv2D", "Conv2D", "MaxPooling2D", "Conv2D", "Flatten", "Dense"],
            val_accuracy=0.93,
        ),
    ]


def test_every_configuration_present_gets_full_marks(build: Any) -> None:
    outcome = check_experiments(LAB, context(build, full_lab()))
    assert outcome.status == "pass", outcome.message
    assert outcome.points == 7
    assert outcome.message == "6 of 6 required experiments found in 10 trained model(s)"
    assert outcome.measured["widths"] == {str(w): [f"m{i}"] for i, w in enumerate(WIDTHS)}
    # A float32 learning rate still matches the rubric's 0.0001.
    assert outcome.measured["lr-low"] == ["m8"]


def test_a_missing_width_costs_its_share_of_the_sweep(build: Any) -> None:
    rows = [r for r in full_lab() if r.model != "m3"]  # no width 300 single-layer model
    outcome = check_experiments(LAB, context(build, rows))
    assert outcome.status == "partial"
    # widths weigh 2 of 7 and 4 of 5 widths are there: 7 * (2 * 0.8 + 5) / 7.
    assert outcome.points == pytest.approx(6.6)
    assert "widths (no model with hidden width 300)" in outcome.message


def test_a_cnn_below_the_validation_threshold_does_not_count(build: Any) -> None:
    rows = [r for r in full_lab() if r.model != "m9"]
    rows.append(full_lab()[-1].model_copy(update={"val_accuracy": 0.5}))
    outcome = check_experiments(LAB, context(build, rows))
    assert outcome.points == pytest.approx(6)
    assert "which lacks validation accuracy ≥ 0.9" in outcome.message


def test_no_trained_model_fails(build: Any) -> None:
    outcome = check_experiments(LAB, context(build, []))
    assert (outcome.status, outcome.points) == ("fail", 0)
    assert "no trained model" in outcome.message


def test_l2_optimizer_and_mixed_activations(build: Any) -> None:
    check = ExperimentsCheck(
        id="x",
        points=2,
        require=[
            ExperimentSpec(id="reg", l2=True, layers={"Dropout": 1}),
            ExperimentSpec(id="mixed", mixed_activations=True, optimizer="RMSprop"),
        ],
    )
    plain = row("m0", [100, 50])
    regularised = row("m1", [100], l2=True, layer_types=["Flatten", "Dense", "Dropout", "Dense"])
    mixed = row("m2", [100, 50], hidden_activations=["relu", "tanh"], optimizer="rmsprop")
    assert check_experiments(check, context(build, [plain])).points == 0
    assert check_experiments(check, context(build, [plain, regularised])).points == 1
    assert check_experiments(check, context(build, [regularised, mixed])).points == 2


def _fit(split: float, rows: int) -> RecordedCall:
    args = {"validation_split": split, "x": {"shape": [rows, 28, 28]}}
    return RecordedCall(kind="fit", model="m0", args=args)


def test_validation_start_reproduces_keras_split() -> None:
    assert validation_start(holdout_of(_fit(0.2, 600)), 600) == 480
    assert validation_start(holdout_of(_fit(0.1, 601)), 601) == 540  # floor, as Keras does
    assert validation_start(holdout_of(_fit(0.0, 600)), 600) is None
    # The student passed a subset: the grader cannot tell which rows were held out.
    assert validation_start(holdout_of(_fit(0.2, 500)), 600) is None


def test_cnn_threshold_relative_to_the_reference(build: Any) -> None:
    check = ExperimentsCheck(
        id="x",
        points=1,
        require=[
            ExperimentSpec(
                id="cnn",
                layers={"Conv2D": Range(min=3)},
                min_val_accuracy=ReferenceBound(reference=-0.02),
            )
        ],
    )
    cnn = full_lab()[-1]  # validation accuracy 0.93
    without = check_experiments(check, context(build, [cnn]))
    assert without.points == 0
    assert without.message.endswith("cnn (no reference run for its threshold)")
    summary = ReferenceSummary(test_accuracy=0.94, duration_s=1.0, cache_key="k")
    ctx = dataclasses.replace(context(build, [cnn]), reference=summary)
    assert check_experiments(check, ctx).points == 1  # 0.93 >= 0.94 - 0.02
    summary = summary.model_copy(update={"test_accuracy": 0.99})
    ctx = dataclasses.replace(ctx, reference=summary)
    outcome = check_experiments(check, ctx)
    assert outcome.points == 0
    assert "validation accuracy ≥ 0.97" in outcome.message
    assert outcome.details is not None
    rule = outcome.details["requirements"][0]["min_val_accuracy"]
    assert rule == {"rule": {"reference": -0.02}, "reference": 0.99, "threshold": 0.97}
