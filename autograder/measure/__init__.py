"""Measuring exported models on the grader's data, in a confined evaluator process.

:mod:`.facts` is what a measurement says (plain data); :mod:`.keras_model` reloads and
measures one model (only ever run inside the evaluator); :mod:`.evaluator` is that
process and its pool; :mod:`.data` loads the grader's own copy of the data.

:class:`Measurer` is what the grading pipeline depends on: the evaluator pool in
production, a fake in tests (the way httpx tests inject a transport).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from autograder.errors import EvaluationError
from autograder.measure.facts import ModelMeasurements
from autograder.results import Protection


class Holdout(BaseModel):
    """What a fit call's ``validation_split`` held out, as the kernel recorded it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rows: int = Field(ge=0, description="Rows of the x the student passed to fit.")
    split: float = Field(gt=0, lt=1, description="The validation_split fraction.")


class Budget:
    """Evaluator seconds one submission may still spend, over all its models.

    Only time a worker spends on the submission's own models counts: waiting for a
    free worker (another student's slow model) never does.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.left = seconds
        self._lock = threading.Lock()

    def spend(self, seconds: float) -> None:
        with self._lock:
            self.left -= seconds

    def require(self) -> float:
        """The seconds left; raises EvaluationError when none are."""
        if self.left <= 0:
            raise EvaluationError(
                f"the submission used its {self.seconds:g} s of evaluator time; not measured"
            )
        return self.left


class Measurer(Protocol):
    """Measures one exported model; raises EvaluationError when it cannot."""

    def measure(
        self,
        path: Path,
        key: str,
        *,
        holdout: Holdout | None = None,
        budget: Budget | None = None,
    ) -> ModelMeasurements:
        """``budget``: the submission's evaluator time, charged for this model's."""
        ...

    @property
    def protection(self) -> Protection | None:
        """How models are confined, for the report's protections; None: not confined."""
        ...
