"""The kernel-side dataset provider and Colab stubs, run here without a kernel or Keras."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.datasets.base import DataOptions
from autograder.datasets.serving import kernel_options, provider_settings
from autograder.i18n import CATALOGS
from autograder.kernel.provider import UploadUnavailableError, _Provider, _Uploaded


@pytest.fixture
def provider(tmp_path: Path) -> _Provider:
    path = tmp_path / "fashion.npz"
    np.savez(
        path,
        x_train=np.zeros((60, 28, 28), np.uint8),
        y_train=np.arange(60, dtype=np.uint8) % 10,
        x_test=np.zeros((10, 28, 28), np.uint8),
        y_test=np.arange(10, dtype=np.uint8),
    )
    settings = provider_settings(["fashion_mnist"], "es")
    return _Provider({"datasets": {"fashion_mnist": str(path)}, **settings})


def test_the_kernel_always_gets_whole_splits() -> None:
    options = DataOptions(source="synthetic", fraction=0.1)
    assert kernel_options(options) == DataOptions(source="synthetic", fraction=1.0)


def test_settings_carry_class_names_and_the_students_language() -> None:
    settings = provider_settings(["fashion_mnist"], "es")
    assert settings["dataset_info"]["fashion_mnist"]["class_names"][0] == "T-shirt/top"
    assert settings["messages"]["colab_drive"] == CATALOGS["es"]["kernel.colab_drive"]
    assert all(not key.startswith("kernel.") for key in settings["messages"])


def test_each_load_returns_fresh_copies(provider: _Provider) -> None:
    (x_train, _), (x_test, _) = provider.load_data("fashion_mnist")
    assert x_train.shape == (60, 28, 28)
    x_train[...] = 255  # a notebook normalising in place
    (again, _), _ = provider.load_data("fashion_mnist")
    assert int(again.max()) == 0
    assert x_test.flags.writeable


def test_a_dataset_outside_the_exercise_is_named(provider: _Provider) -> None:
    with pytest.raises(RuntimeError, match=r"'cifar10' no forma parte de este ejercicio"):
        provider.load_data("cifar10")


def test_an_upload_that_never_happened_explains_itself(provider: _Provider) -> None:
    uploaded = _Uploaded(provider)
    assert uploaded == {}
    assert list(uploaded) == []
    with pytest.raises(UploadUnavailableError) as caught:
        uploaded["Data.zip"]
    assert isinstance(caught.value, KeyError)  # code that catches KeyError still does
    assert str(caught.value).startswith("autograder: 'Data.zip' no se subió")


def test_a_sentence_with_a_bad_template_falls_back_to_the_template(
    provider: _Provider,
) -> None:
    assert provider.sentence("no_such_key") == "no_such_key"
    assert "{path}" in provider.sentence("colab_content")  # no arguments given
