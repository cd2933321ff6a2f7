"""The architecture check: every equivalence students rely on, and the diff it reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from autograder.checks.architecture import check_architecture
from autograder.rubric.models import ArchitectureCheck, LayerSpec

if TYPE_CHECKING:
    from conftest import Build

TUTORIAL = ArchitectureCheck(
    id="arch",
    points=2,
    layers=[
        LayerSpec(type="Flatten", output_shape=[None, 784]),
        LayerSpec(type="Dense", units=128, activation="relu"),
        LayerSpec(type="Dense", units=10, activation="softmax"),
    ],
)


def test_the_tutorial_model_passes(build: Build) -> None:
    outcome = check_architecture(TUTORIAL, build.context(build.model()))
    assert outcome.status == "pass"
    assert outcome.points == 2
    assert outcome.message == "3 layers match: Flatten, Dense(128, relu), Dense(10, softmax)"
    assert outcome.details is not None
    assert all(row["ok"] for row in outcome.details["diff"])
    assert outcome.measured[1] == {
        "name": "dense",
        "type": "Dense",
        "units": 128,
        "activation": "relu",
        "output_shape": [None, 128],
    }


def test_an_explicit_input_layer_is_ignored(build: Build) -> None:
    layers = [build.layer("InputLayer", shape=(None, 28, 28)), *build.fashion_layers()]
    outcome = check_architecture(TUTORIAL, build.context(build.model(layers)))
    assert outcome.status == "pass"


def test_activation_layer_merges_into_the_linear_layer_before_it(build: Build) -> None:
    layers = [
        *build.fashion_layers(output="linear"),
        build.layer("Activation", activation="softmax", shape=(None, 10)),
    ]
    outcome = check_architecture(TUTORIAL, build.context(build.model(layers)))
    assert outcome.status == "pass"
    assert "Activation(softmax) merged into Dense" in outcome.message
    assert outcome.details is not None
    assert outcome.details["notes"] == ["Activation(softmax) merged into Dense"]


def test_softmax_layer_merges_too(build: Build) -> None:
    layers = [*build.fashion_layers(output="linear"), build.layer("Softmax", shape=(None, 10))]
    assert check_architecture(TUTORIAL, build.context(build.model(layers))).status == "pass"


def test_linear_output_with_from_logits_counts_as_softmax(build: Build) -> None:
    model = build.model(
        build.fashion_layers(output="linear"), compile_info=build.compile_info(from_logits=True)
    )
    outcome = check_architecture(TUTORIAL, build.context(model))
    assert outcome.status == "pass"
    note = "final Dense(10, linear) outputs logits (from_logits=True): counted as softmax"
    assert outcome.message.endswith(f"({note})")
    assert outcome.details is not None
    assert outcome.details["notes"] == [note]


def test_a_rubric_may_describe_the_logits_layer_as_linear(build: Build) -> None:
    check = TUTORIAL.model_copy(
        update={"layers": [*TUTORIAL.layers[:2], LayerSpec(type="Dense", activation="linear")]}
    )
    model = build.model(
        build.fashion_layers(output="linear"), compile_info=build.compile_info(from_logits=True)
    )
    assert check_architecture(check, build.context(model)).status == "pass"


def test_from_logits_is_read_from_the_recorded_call_when_not_saved(build: Build) -> None:
    call = build.compile_call(
        optimizer="adam",
        loss={"class_name": "SparseCategoricalCrossentropy", "from_logits": True},
        metrics=["accuracy"],
    )
    model = build.model(build.fashion_layers(output="linear"), uncompiled=True)
    assert check_architecture(TUTORIAL, build.context(model, [call])).status == "pass"


def test_linear_output_without_from_logits_fails(build: Build) -> None:
    outcome = check_architecture(
        TUTORIAL, build.context(build.model(build.fashion_layers("linear")))
    )
    assert outcome.status == "fail"
    assert outcome.points == 0
    assert outcome.message == "layer 3: expected Dense(10, softmax), found Dense(10, linear)"
    assert outcome.details is not None
    assert outcome.details["diff"][2]["problems"] == ["activation: expected softmax, found linear"]


def test_activation_after_flatten_is_not_merged(build: Build) -> None:
    check = ArchitectureCheck(
        id="arch", points=1, layers=[LayerSpec(type="Flatten"), LayerSpec(type="Activation")]
    )
    layers = [build.layer("Flatten"), build.layer("Activation", activation="relu")]
    assert check_architecture(check, build.context(build.model(layers))).status == "pass"


def test_allowed_extras_are_set_aside_and_listed(build: Build) -> None:
    layers = build.fashion_layers()
    layers.insert(2, build.layer("Dropout", shape=(None, 128)))
    check = TUTORIAL.model_copy(update={"allow_extra": ["Dropout"]})
    outcome = check_architecture(check, build.context(build.model(layers)))
    assert outcome.status == "pass"
    assert outcome.details is not None
    assert outcome.details["ignored"] == ["Dropout"]
    assert "(ignored allowed Dropout)" in outcome.message


def test_wider_hidden_layer_is_reported_as_a_diff(build: Build) -> None:
    layers = build.fashion_layers()
    layers[1] = build.layer("Dense", 500, "relu", (None, 500))
    outcome = check_architecture(TUTORIAL, build.context(build.model(layers)))
    assert outcome.status == "fail"
    assert outcome.message == "layer 2: expected Dense(128, relu), found Dense(500, relu)"
    assert outcome.details is not None
    row = outcome.details["diff"][1]
    assert row == {
        "position": 2,
        "expected": {"type": "Dense", "units": 128, "activation": "relu"},
        "actual": {
            "name": "dense",
            "type": "Dense",
            "units": 500,
            "activation": "relu",
            "output_shape": [None, 500],
        },
        "ok": False,
        "problems": ["units: expected 128, found 500"],
    }


def test_extra_and_missing_layers_are_counted(build: Build) -> None:
    wide = [build.layer("Dense", 500, "relu", (None, 500)) for _ in range(3)]
    layers = [build.layer("Flatten", shape=(None, 784)), *wide, build.layer("Dense", 10, "softmax")]
    outcome = check_architecture(TUTORIAL, build.context(build.model(layers)))
    assert outcome.message == (
        "layer 2: expected Dense(128, relu), found Dense(500, relu); 1 more mismatched layer; "
        "2 extra layers (Dense(500, relu), Dense(10, softmax))"
    )
    assert outcome.details is not None
    assert (outcome.details["missing"], outcome.details["extra"]) == (0, 2)
    assert outcome.details["diff"][4]["expected"] is None
    assert outcome.details["diff"][4]["problems"] == ["extra layer"]

    truncated = check_architecture(TUTORIAL, build.context(build.model(layers[:1])))
    assert truncated.message == "2 missing layers (Dense(128, relu), Dense(10, softmax))"
    assert truncated.details is not None
    assert truncated.details["diff"][2]["actual"] is None


@pytest.mark.parametrize(
    ("shape", "ok"),
    [([None, 784], True), ([None, None], True), ([None, 3072], False), ([784], False)],
)
def test_output_shapes_match_with_none_as_a_wildcard(
    build: Build, shape: list[int | None], ok: bool
) -> None:
    check = ArchitectureCheck(
        id="arch", points=1, layers=[LayerSpec(type="Flatten", output_shape=shape)]
    )
    layers = [build.layer("Flatten", shape=(None, 784))]
    outcome = check_architecture(check, build.context(build.model(layers)))
    assert (outcome.status == "pass") is ok
    if not ok:
        found = "(None, 784)"
        assert outcome.message.startswith("layer 1: output_shape: expected (")
        assert outcome.message.endswith(f"found {found}")


def test_types_and_activations_compare_case_insensitively(build: Build) -> None:
    check = ArchitectureCheck(
        id="arch", points=1, layers=[LayerSpec(type="dense", units=10, activation="Softmax")]
    )
    layers = [build.layer("Dense", 10, "softmax")]
    assert check_architecture(check, build.context(build.model(layers))).status == "pass"


def test_no_model_fails_with_the_reason(build: Build) -> None:
    outcome = check_architecture(TUTORIAL, build.context(None, no_model_reason="kernel died"))
    assert outcome.status == "fail"
    assert outcome.points == 0
    assert outcome.max_points == 2
    assert outcome.message == "no trained model was captured: kernel died"
