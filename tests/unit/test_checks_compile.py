"""The compile check: field by field, with aliases, the logits rule and the fallback."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from autograder.checks.compile import check_compile, recorded_compile
from autograder.rubric.models import CompileCheck

if TYPE_CHECKING:
    from conftest import Build

FULL = CompileCheck(
    id="compile",
    points=4,
    optimizer="adam",
    learning_rate=0.001,
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)


def test_matching_settings_pass(build: Build) -> None:
    outcome = check_compile(FULL, build.context(build.model()))
    assert outcome.status == "pass"
    assert outcome.points == 4
    assert outcome.message == "adam (lr 0.001); sparse_categorical_crossentropy; metrics accuracy"
    assert outcome.expected == {
        "optimizer": "adam",
        "learning_rate": 0.001,
        "loss": "sparse_categorical_crossentropy",
        "metrics": ["accuracy"],
    }
    assert outcome.measured["learning_rate"] == pytest.approx(0.001)


@pytest.mark.parametrize(
    ("fields", "ok"),
    [
        ({"loss": "SparseCategoricalCrossentropy"}, True),
        ({"optimizer": "Adam"}, True),
        ({"metrics": ["acc"]}, True),
        ({"metrics": ["sparse_categorical_accuracy"]}, True),
        ({"learning_rate": 0.001 * (1 + 1e-5)}, False),
    ],
)
def test_aliases_and_tolerance(build: Build, fields: dict[str, Any], ok: bool) -> None:
    check = CompileCheck(id="compile", points=1, **fields)
    assert (check_compile(check, build.context(build.model())).status == "pass") is ok


def test_partial_points_name_what_failed(build: Build) -> None:
    info = build.compile_info(optimizer="sgd", learning_rate=0.01)
    outcome = check_compile(FULL, build.context(build.model(compile_info=info)))
    assert outcome.status == "partial"
    assert outcome.points == pytest.approx(2.0)
    assert outcome.message == (
        "optimizer sgd (expected adam); learning rate 0.01 (expected 0.001) (2 of 4 settings match)"
    )


def test_nothing_matching_fails(build: Build) -> None:
    info = build.compile_info(optimizer="sgd", loss="mean_squared_error", metrics=[])
    check = FULL.model_copy(update={"learning_rate": None})
    outcome = check_compile(check, build.context(build.model(compile_info=info)))
    assert outcome.status == "fail"
    assert outcome.points == 0
    assert "metrics [] lack accuracy" in outcome.message


def test_logits_output_with_from_logits_true_is_accepted(build: Build) -> None:
    model = build.model(
        build.fashion_layers("linear"), compile_info=build.compile_info(from_logits=True)
    )
    outcome = check_compile(FULL, build.context(model))
    assert outcome.status == "pass"
    assert "sparse_categorical_crossentropy, from_logits" in outcome.message


def test_softmax_output_with_from_logits_true_is_inconsistent(build: Build) -> None:
    model = build.model(compile_info=build.compile_info(from_logits=True))
    outcome = check_compile(FULL, build.context(model))
    assert outcome.status == "partial"
    assert outcome.points == pytest.approx(3.0)
    assert outcome.message.startswith(
        "the loss uses from_logits=True but the output layer already applies softmax"
    )


def test_linear_output_with_from_logits_false_is_inconsistent(build: Build) -> None:
    model = build.model(build.fashion_layers("linear"))
    outcome = check_compile(FULL, build.context(model))
    assert outcome.status == "partial"
    assert outcome.message.startswith(
        "the output layer is linear (it outputs logits) but the loss expects probabilities"
    )


def test_activation_layer_output_counts_as_probabilities(build: Build) -> None:
    layers = [*build.fashion_layers("linear"), build.layer("Activation", activation="softmax")]
    assert check_compile(FULL, build.context(build.model(layers))).status == "pass"


def test_an_explicit_from_logits_is_compared_exactly(build: Build) -> None:
    check = CompileCheck(
        id="compile", points=2, loss="sparse_categorical_crossentropy", from_logits=True
    )
    outcome = check_compile(check, build.context(build.model()))
    assert outcome.status == "partial"
    assert outcome.message == "from_logits=False (expected True) (1 of 2 settings match)"


def test_falls_back_to_the_recorded_call_and_says_so(build: Build) -> None:
    call = build.compile_call(
        optimizer={"class_name": "Adam", "learning_rate": 0.001},
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    outcome = check_compile(FULL, build.context(build.model(uncompiled=True), [call]))
    assert outcome.status == "pass"
    assert outcome.message.endswith(
        "(from the recorded compile call; the saved model kept no compile settings)"
    )


def test_a_failed_compile_call_is_not_used(build: Build) -> None:
    call = build.compile_call(optimizer="adam", loss="mse").model_copy(update={"error": "boom"})
    outcome = check_compile(FULL, build.context(build.model(uncompiled=True), [call]))
    assert outcome.status == "fail"
    assert outcome.message == "the model was never compiled (no compile settings saved or recorded)"


def test_recorded_compile_reads_objects_and_strings() -> None:
    info = recorded_compile(
        {
            "optimizer": "RMSprop",
            "loss": {"class_name": "SparseCategoricalCrossentropy", "from_logits": True},
            "metrics": ["Accuracy", 3],
        }
    )
    assert (info.optimizer, info.learning_rate) == ("rmsprop", None)
    assert (info.loss, info.from_logits) == ("sparse_categorical_crossentropy", True)
    assert info.metrics == ["accuracy"]
    assert recorded_compile({"loss": "sparse_categorical_crossentropy"}).from_logits is False
    assert recorded_compile({"optimizer": 3, "loss": None}).optimizer is None


def test_no_model(build: Build) -> None:
    outcome = check_compile(FULL, build.context(None, no_model_reason="timeout"))
    assert outcome.message == "no trained model was captured: timeout"
