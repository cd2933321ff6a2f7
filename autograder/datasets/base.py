"""Dataset contracts shared by the registry, the loaders and the evaluator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from autograder.results import DataSource


class DataOptions(BaseModel):
    """Which copy of the data to use; part of every report and cache key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: DataSource = Field(default="real", description="real (Keras cache) or synthetic.")
    fraction: float = Field(
        default=1.0, gt=0, le=1, description="Use the first ceil(n * fraction) of each split."
    )


@dataclass(frozen=True)
class DatasetInfo:
    """The facts about one dataset that student code relies on."""

    name: str
    image_shape: tuple[int, ...]
    num_classes: int
    class_names: tuple[str, ...]
    train_size: int
    test_size: int
    labels_as_column: bool
    """CIFAR returns labels shaped (n, 1); MNIST-style sets return (n,)."""


@dataclass(frozen=True)
class Splits:
    """Raw arrays exactly as ``keras.datasets.<name>.load_data()`` returns them."""

    x_train: npt.NDArray[np.uint8]
    y_train: npt.NDArray[np.uint8]
    x_test: npt.NDArray[np.uint8]
    y_test: npt.NDArray[np.uint8]
