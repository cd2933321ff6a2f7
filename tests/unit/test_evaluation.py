"""measure_model on tiny saved Keras models: structure, compile settings, scores, refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from autograder.checks.architecture import check_architecture
from autograder.checks.compile import check_compile
from autograder.checks.parameters import check_parameters
from autograder.errors import EvaluationError
from autograder.measure.keras_model import canonical_loss, compile_info_from_config, measure_model
from autograder.rubric.models import (
    ArchitectureCheck,
    CompileCheck,
    LayerSpec,
    ParametersCheck,
    Preprocessing,
)

if TYPE_CHECKING:
    from conftest import Build, SavedModels

SCALE = Preprocessing()


def test_fashion_model_structure_and_parameters(saved_models: SavedModels) -> None:
    measured = measure_model(saved_models["softmax"], "m0", saved_models.fashion, SCALE)
    assert measured.key == "m0"
    assert measured.trainable_params == 101_770
    assert measured.total_params == 101_770
    rows = [(lay.type, lay.units, lay.activation, lay.output_shape) for lay in measured.layers]
    assert rows == [  # no InputLayer; tf.nn.relu and tf.nn.softmax read as Keras names
        ("Flatten", None, None, [None, 784]),
        ("Dense", 128, "relu", [None, 128]),
        ("Dense", 10, "softmax", [None, 10]),
    ]
    assert [lay.params for lay in measured.layers] == [0, 100_480, 1_290]
    assert [lay.trainable_params for lay in measured.layers] == [0, 100_480, 1_290]


def test_compile_settings_come_from_the_saved_model(saved_models: SavedModels) -> None:
    logits = measure_model(saved_models["logits"], "m0", saved_models.fashion, SCALE).compile
    softmax = measure_model(saved_models["softmax"], "m0", saved_models.fashion, SCALE).compile
    assert logits is not None
    assert softmax is not None
    assert logits.optimizer == "adam"
    assert logits.learning_rate == pytest.approx(0.001, rel=1e-6)
    # The same loss whether given as an object or as a string.
    assert logits.loss == softmax.loss == "sparse_categorical_crossentropy"
    assert logits.from_logits is True
    assert softmax.from_logits is False
    assert logits.metrics == softmax.metrics == ["accuracy"]
    activation = measure_model(saved_models["activation"], "m0", saved_models.fashion, SCALE)
    assert activation.compile is not None
    assert activation.compile.optimizer == "sgd"
    assert activation.compile.learning_rate == pytest.approx(0.02, rel=1e-6)
    assert activation.compile.metrics == ["acc"]  # kept as given; checks treat it as accuracy


def test_uncompiled_model_has_no_compile_settings(saved_models: SavedModels) -> None:
    measured = measure_model(saved_models["uncompiled"], "m0", saved_models.fashion, SCALE)
    assert measured.compile is None


def test_logits_softmax_and_activation_layer_score_the_same(saved_models: SavedModels) -> None:
    results = {
        name: measure_model(saved_models[name], name, saved_models.fashion, SCALE)
        for name in ("logits", "softmax", "activation")
    }
    assert results["logits"].output_kind == "logits"
    assert results["softmax"].output_kind == "probabilities"
    assert results["activation"].output_kind == "probabilities"
    reference = results["logits"]
    assert reference.test_accuracy is not None
    assert reference.test_loss is not None
    assert reference.train_loss is not None
    for measured in results.values():
        assert measured.error is None
        assert measured.test_accuracy == pytest.approx(reference.test_accuracy)
        assert measured.train_accuracy == pytest.approx(reference.train_accuracy)
        assert measured.test_loss == pytest.approx(reference.test_loss, rel=1e-4)
        assert measured.train_loss == pytest.approx(reference.train_loss, rel=1e-4)


def test_scores_agree_with_keras_on_the_same_data(saved_models: SavedModels) -> None:
    import keras  # noqa: PLC0415  # lazy, like the fixture that saved the models

    splits = saved_models.fashion
    measured = measure_model(saved_models["activation"], "m0", splits, SCALE)
    model = keras.saving.load_model(saved_models["activation"], compile=False)
    probabilities = model.predict_on_batch(splits.x_test.astype("float32") / 255.0)
    expected_loss = keras.losses.sparse_categorical_crossentropy(splits.y_test, probabilities)
    expected_accuracy = np.mean(np.argmax(probabilities, axis=1) == splits.y_test)
    assert measured.test_accuracy == pytest.approx(expected_accuracy)
    assert measured.test_loss == pytest.approx(float(np.mean(expected_loss)), rel=1e-4)


def test_measurement_is_deterministic_with_dropout(saved_models: SavedModels) -> None:
    first = measure_model(saved_models["activation"], "m0", saved_models.fashion, SCALE)
    second = measure_model(saved_models["activation"], "m0", saved_models.fashion, SCALE)
    assert first.train_accuracy == pytest.approx(second.train_accuracy)
    assert first.train_loss == pytest.approx(second.train_loss, rel=1e-9)


def test_cifar_mlp_is_fed_flattened_images_and_column_labels(saved_models: SavedModels) -> None:
    measured = measure_model(saved_models["cifar"], "m0", saved_models.cifar, SCALE)
    assert measured.trainable_params == 100_778
    assert [lay.units for lay in measured.layers] == [32, 32, 32, 10]
    assert measured.error is None
    assert measured.test_accuracy is not None
    assert 0.0 <= measured.test_accuracy <= 1.0
    assert measured.overfitting_gap is not None


def test_nested_compiled_model_loads(saved_models: SavedModels) -> None:
    measured = measure_model(saved_models["nested"], "m0", saved_models.fashion, SCALE)
    assert [lay.type for lay in measured.layers] == ["Reshape", "Sequential", "Dense"]
    assert measured.compile is None
    assert measured.error is None


def test_input_that_cannot_fit_leaves_scores_empty_with_a_reason(saved_models: SavedModels) -> None:
    measured = measure_model(saved_models["uncompiled"], "m0", saved_models.fashion, SCALE)
    assert measured.error == "model expects input (None, 100) but the data is (28, 28)"
    assert measured.test_accuracy is None
    assert measured.train_loss is None
    assert measured.output_kind is None
    assert measured.trainable_params == 1_010  # structure is still measured


def test_non_finite_outputs_count_as_wrong_and_have_no_loss(saved_models: SavedModels) -> None:
    measured = measure_model(saved_models["nan"], "m0", saved_models.fashion, SCALE)
    assert measured.test_accuracy == pytest.approx(0.0)
    assert measured.test_loss is None
    assert measured.error == "the model outputs NaN or infinite values; loss not computed"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("lambda", "lambda.keras: model uses a Lambda layer, which the grader cannot load safely"),
        (
            "custom",
            "custom.keras: model uses a custom class `Doubler`, "
            "which the grader cannot load safely",
        ),
        ("garbage", "garbage.keras: not a readable .keras file"),
        ("missing", "missing.keras: not a readable .keras file"),
    ],
)
def test_unloadable_models_raise_one_line_errors(
    saved_models: SavedModels, name: str, reason: str
) -> None:
    with pytest.raises(EvaluationError) as caught:
        measure_model(saved_models[name], "m0", saved_models.fashion, SCALE)
    message = str(caught.value)
    assert message.startswith(reason)
    assert "\n" not in message


def test_compile_config_parsing_covers_every_spelling() -> None:
    info = compile_info_from_config(
        {
            "optimizer": {
                "class_name": "SGD",
                "config": {
                    "learning_rate": {
                        "class_name": "ExponentialDecay",
                        "config": {"initial_learning_rate": 0.1},
                    }
                },
            },
            "loss": {"module": "builtins", "class_name": "function", "config": "mse"},
            "metrics": [["acc"], {"class_name": "SparseCategoricalAccuracy", "config": {}}],
        }
    )
    assert info is not None
    assert info.optimizer == "sgd"
    assert info.learning_rate == pytest.approx(0.1)
    assert (info.loss, info.from_logits) == ("mean_squared_error", None)
    assert info.metrics == ["acc", "sparse_categorical_accuracy"]
    assert compile_info_from_config({}) is None


@pytest.mark.parametrize(
    "spelling", ["sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"]
)
def test_canonical_loss(spelling: str) -> None:
    assert canonical_loss(spelling) == "sparse_categorical_crossentropy"
    assert canonical_loss("KLDivergence") == canonical_loss("kld") == "kl_divergence"


@pytest.mark.parametrize("name", ["logits", "softmax", "activation"])
def test_equivalent_fashion_models_pass_the_tutorial_checks(
    saved_models: SavedModels, build: Build, name: str
) -> None:
    tutorial = (
        ArchitectureCheck(
            id="arch",
            points=1,
            layers=[
                LayerSpec(type="Flatten", output_shape=[None, 784]),
                LayerSpec(type="Dense", units=128, activation="relu"),
                LayerSpec(type="Dense", units=10, activation="softmax"),
            ],
            allow_extra=["Dropout"],
        ),
        ParametersCheck(id="params", points=1, trainable=101_770),
        CompileCheck(id="compile", points=1, loss="sparse_categorical_crossentropy"),
    )
    measured = measure_model(saved_models[name], "m0", saved_models.fashion, SCALE)
    ctx = build.context(measured)
    outcomes = [check_architecture(tutorial[0], ctx), check_parameters(tutorial[1], ctx)]
    outcomes.append(check_compile(tutorial[2], ctx))
    assert [o.status for o in outcomes] == ["pass"] * 3, [o.message for o in outcomes]
