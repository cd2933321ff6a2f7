"""The evaluator process: same numbers as in-process, failures contained, restarts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from autograder import datasets
from autograder.datasets import canaries
from autograder.datasets.base import DataOptions
from autograder.errors import EvaluationError
from autograder.execution.limits import Limits
from autograder.measure.evaluator import Evaluator, EvaluatorConfig, EvaluatorPool
from autograder.measure.keras_model import measure_model
from autograder.rubric.models import DatasetSpec, Preprocessing

if TYPE_CHECKING:
    from conftest import SavedModels

DATA = DataOptions(source="synthetic", fraction=0.02)
CONFIG = EvaluatorConfig(dataset=DatasetSpec(name="fashion_mnist"), data=DATA)


def test_a_worker_that_cannot_start_is_a_clear_error() -> None:
    # Unvalidated on purpose: the worker validates what it is sent.
    unknown = DatasetSpec.model_construct(name="imagenet")  # type: ignore[arg-type]
    bad = CONFIG.model_copy(update={"dataset": unknown})
    with Evaluator(bad, Limits()) as evaluator, pytest.raises(EvaluationError) as caught:
        evaluator.measure(Path("nothing.keras"), "m0")
    assert str(caught.value).startswith("the evaluator could not start: ")
    assert "imagenet" in str(caught.value)


@pytest.mark.kernel
def test_warm_up_starts_every_worker_of_a_pool_at_once() -> None:
    # A batch of --jobs 2 measures two models at once: both workers start before the
    # first kernel finishes, not one after the other on first use.
    with EvaluatorPool(CONFIG, Limits(), size=2) as pool:
        assert pool.ready == 0
        threads = pool.warm_up()
        assert len(threads) == 2
        for thread in threads:
            thread.join(timeout=300)
        assert pool.ready == 2
        # A batch after the reference's run grows the pool it shares: the started
        # workers stay, only the missing ones are added.
        added = pool.grow(3)
        assert len(added) == 1
        assert pool.grow(2) == []
        assert (pool.size, pool.ready) == (3, 2)
    assert pool.ready == 0


# Slow rather than kernel-bound: each worker start imports TensorFlow (twice here).
@pytest.mark.kernel
def test_worker_measures_like_the_grader_and_survives_bad_files(saved_models: SavedModels) -> None:
    splits = datasets.load_splits("fashion_mnist", DATA)
    planted = canaries.for_spec(CONFIG.dataset)
    here = measure_model(saved_models["softmax"], "m0", splits, Preprocessing(), planted=planted)
    with Evaluator(CONFIG, Limits()) as evaluator:
        there = evaluator.measure(saved_models["softmax"], "m0")
        pid = evaluator._proc.pid if evaluator._proc else None
        with pytest.raises(EvaluationError, match=r"not a readable \.keras file"):
            evaluator.measure(saved_models["garbage"], "m0")
        with pytest.raises(EvaluationError, match="Lambda layer"):
            evaluator.measure(saved_models["lambda"], "m0")
        assert evaluator._proc is not None
        assert evaluator._proc.pid == pid  # refusals do not cost a restart
    assert there == here
    with Evaluator(CONFIG, Limits(evaluation_timeout_s=0.001)) as hurried:
        with pytest.raises(EvaluationError, match=r"took longer than 0\.001 s"):
            hurried.measure(saved_models["softmax"], "m0")
        assert hurried.restarts == 1
        assert hurried._proc is None  # killed; the next request starts a fresh worker
