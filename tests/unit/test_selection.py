"""Which model is graded: the rubric's variable, else the trained model that fits best."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.artifacts import Artifacts, ExportedModel
from autograder.measure.facts import LayerInfo, ModelMeasurements
from autograder.rubric import load_rubric
from autograder.rubric.models import DatasetSpec, OverfittingGapCheck, Rubric
from autograder.selection import select_model

RUBRIC = load_rubric(Path(__file__).parents[2] / "rubrics" / "fashion-mnist.yaml").rubric


def _layer(type_: str, units: int | None = None, activation: str | None = None) -> LayerInfo:
    shape = [None, units] if units else [None, 784] if type_ == "Flatten" else None
    return LayerInfo(
        name=type_.lower(), type=type_, units=units, activation=activation, output_shape=shape
    )


# What a fake evaluator reads from each exported model: layers and parameter counts.
TUTORIAL = ModelMeasurements(
    key="mlp",
    layers=[_layer("Flatten"), _layer("Dense", 128, "relu"), _layer("Dense", 10, "softmax")],
    trainable_params=101_770,
    total_params=101_770,
)
WIDE = ModelMeasurements(
    key="wide",
    layers=[_layer("Flatten"), _layer("Dense", 500, "relu"), _layer("Dense", 10, "softmax")],
    trainable_params=397_510,
    total_params=397_510,
)
CNN = ModelMeasurements(
    key="cnn",
    layers=[
        _layer("Conv2D", None, "relu"),
        _layer("MaxPooling2D"),
        _layer("Flatten"),
        _layer("Dense", 64, "relu"),
        _layer("Dense", 10, "softmax"),
    ],
    trainable_params=225_034,
    total_params=225_034,
)


class FakeEvaluator:
    """Measures by key and remembers what it was asked, like the grader's evaluator."""

    def __init__(self, *known: ModelMeasurements) -> None:
        self.known = {m.key: m for m in known}
        self.asked: list[str] = []

    def __call__(self, model: ExportedModel) -> ModelMeasurements | None:
        self.asked.append(model.key)
        return self.known.get(model.key)


def _trained(key: str, *variables: str) -> ExportedModel:
    return ExportedModel(
        key=key, variables=list(variables), fitted=True, compiled=True, class_name="Sequential"
    )


def test_the_named_variable_wins_over_later_models() -> None:
    artifacts = Artifacts(models=[_trained("mlp", "model"), _trained("cnn", "model_cnn")])
    measure = FakeEvaluator(TUTORIAL, CNN)
    selection = select_model(artifacts, RUBRIC, measure)
    assert selection.model is not None
    assert selection.model.key == "mlp"
    assert selection.said.id == "selection.variable"
    assert "`model`" in selection.why
    assert measure.asked == []  # nothing to compare: no model is reloaded for it


def test_model_nn_beats_a_later_cnn_when_model_is_unbound() -> None:
    """The common hand-in: the exercise's MLP as `model_nn`, a CNN tried at the end."""
    artifacts = Artifacts(models=[_trained("mlp", "model_nn"), _trained("cnn", "model_cnn")])
    selection = select_model(artifacts, RUBRIC, FakeEvaluator(TUTORIAL, CNN))
    assert selection.model is not None
    assert selection.model.key == "mlp"
    assert selection.said.id == "selection.best_match"
    assert selection.said.args["model"] == "`model_nn`"
    assert selection.said.args["match"] == "100%"
    assert "`model_cnn`" in selection.why
    assert "closest to the rubric's architecture" in selection.why
    assert selection.measured is TUTORIAL  # the grader need not measure it again
    matches = {c.model.key: c.match for c in selection.candidates}
    assert matches["mlp"] == 1.0
    assert matches["cnn"] is not None
    assert matches["cnn"] < 0.5


def test_closer_architecture_wins_even_when_neither_matches_exactly() -> None:
    # Dense(500) gets the layer types right but not the units or the parameter count.
    artifacts = Artifacts(models=[_trained("wide", "red"), _trained("cnn", "modelo_cnn")])
    selection = select_model(artifacts, RUBRIC, FakeEvaluator(WIDE, CNN))
    assert selection.model is not None
    assert selection.model.key == "wide"
    assert selection.said.args["model"] == "`red`"


def test_equal_matches_go_to_the_later_model() -> None:
    artifacts = Artifacts(models=[_trained("first", "modelo"), _trained("second", "modelo2")])
    first, second = (TUTORIAL.model_copy(update={"key": k}) for k in ("first", "second"))
    selection = select_model(artifacts, RUBRIC, FakeEvaluator(first, second))
    assert selection.model is not None
    assert selection.model.key == "second"


def test_an_unreadable_model_ranks_last() -> None:
    artifacts = Artifacts(models=[_trained("mlp", "model_nn"), _trained("broken", "otro")])
    selection = select_model(artifacts, RUBRIC, FakeEvaluator(TUTORIAL))
    assert selection.model is not None
    assert selection.model.key == "mlp"
    assert "`otro` ?" in selection.why


def test_one_trained_model_is_graded_without_comparing() -> None:
    artifacts = Artifacts(
        models=[
            ExportedModel(key="m0", variables=["draft"], compiled=True),
            _trained("m1", "modelo"),
        ]
    )
    measure = FakeEvaluator()
    selection = select_model(artifacts, RUBRIC, measure)
    assert selection.model is not None
    assert selection.model.key == "m1"
    assert selection.said.id == "selection.only_trained"
    assert measure.asked == []


def test_without_architecture_checks_the_last_trained_model_is_graded() -> None:
    rubric = Rubric(
        schema_version=1,
        id="unit",
        title="Unit",
        dataset=DatasetSpec(name="fashion_mnist"),
        checks=[OverfittingGapCheck(id="gap", points=1)],
    )
    artifacts = Artifacts(models=[_trained("mlp", "model_nn"), _trained("cnn", "model_cnn")])
    selection = select_model(artifacts, rubric, FakeEvaluator(TUTORIAL, CNN))
    assert selection.model is not None
    assert selection.model.key == "cnn"
    assert selection.said.id == "selection.last_trained"
    assert "last trained model" in selection.why


@pytest.mark.parametrize(
    ("models", "expected", "message_id"),
    [
        ([ExportedModel(key="m0", compiled=True)], "m0", "selection.last_compiled"),
        ([], None, "selection.none"),
    ],
)
def test_untrained_notebooks(
    models: list[ExportedModel], expected: str | None, message_id: str
) -> None:
    selection = select_model(Artifacts(models=models), RUBRIC, FakeEvaluator())
    assert (selection.model.key if selection.model else None) == expected
    assert selection.said.id == message_id


def test_hostile_variable_names_are_not_shown() -> None:
    artifacts = Artifacts(
        models=[_trained("mlp", "model_nn"), _trained("cnn", "[x](http://e.vil)\x1b[2J")]
    )
    selection = select_model(artifacts, RUBRIC, FakeEvaluator(TUTORIAL, CNN))
    assert "e.vil" not in selection.why
    assert "\x1b" not in selection.why
    assert "Sequential cnn" in selection.why
