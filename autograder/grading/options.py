"""How to grade (``GradeOptions``) and every setting derived from it.

The kernel's run options, the evaluator's config and the results-store identity are
computed here from one ``GradeOptions``, never copied field by field: a new option
reaches every consumer, or is declared here as not changing a result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt

from autograder.datasets.base import DataOptions
from autograder.datasets.serving import provider_settings
from autograder.environments import Environment
from autograder.execution.limits import Limits
from autograder.execution.runner import RunOptions
from autograder.i18n import Language, choose_language
from autograder.measure.evaluator import EvaluatorConfig
from autograder.results import DataInfo, ReferenceSummary
from autograder.rubric import LoadedRubric


class GradeOptions(BaseModel):
    """How to grade: one object instead of a growing list of keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data: DataOptions = Field(default_factory=DataOptions, description="Which data to use.")
    timeout_s: float | None = Field(
        default=None, gt=0, description="Total seconds per submission; default: the rubric's."
    )
    seed: int = Field(default=0, description="Seed for Python, NumPy and Keras in the kernel.")
    threads: int = Field(default=0, ge=0, description="TensorFlow threads per kernel; 0: auto.")
    keep_jobs: bool = Field(default=False, description="Keep each job dir for debugging.")
    epoch_cap: int | None = Field(
        default=None, ge=1, description="At most this many epochs per fit call (quick mode)."
    )
    limits: Limits = Field(
        default_factory=Limits, description="Sandbox and resource limits for student code."
    )
    language: Language | None = Field(
        default=None,
        description="Language of what the kernel tells the student (Colab leftovers); "
        "default: the rubric's, then the locale.",
    )
    evaluation_budget_s: float | None = Field(
        default=None,
        gt=0,
        description="Evaluator seconds per submission over all its models; "
        "default: 4 times the per-model limit.",
    )
    gpus: Literal["auto", "none"] | tuple[NonNegativeInt, ...] = Field(
        default="auto",
        description="GPUs the kernels may train on: auto (every one found), none, or "
        "nvidia-smi indices; see autograder.execution.gpus.",
    )


class RunIdentity(BaseModel):
    """What a batch shares that changes results; part of every results-store key.

    Built by :func:`run_identity` from the whole ``GradeOptions`` dump, so a new
    option is part of the key without anyone remembering to add it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rubric_sha256: str = Field(description="SHA-256 of the rubric file.")
    options: dict[str, Any] = Field(
        description="GradeOptions as JSON, minus the fields that cannot change a result."
    )
    grader_version: str = Field(description="autograder version.")
    reference: str | None = Field(
        default=None, description="The reference run thresholds were set from (cache key, weights)."
    )

    def key(self, submission_id: str, sha256: str | None) -> str:
        parts = {**self.model_dump(), "submission_id": submission_id, "sha256": sha256}
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


NOT_IN_RESULT = frozenset({"keep_jobs", "threads"})
"""GradeOptions fields that cannot change a result, so the store key leaves them out.

keep_jobs only keeps scratch folders.  threads is set per batch from how many kernels
run at once (known only after the store says what is left to grade); kernels run with
TF_DETERMINISTIC_OPS, so the thread count changes speed, not numbers.
"""


def total_timeout(rubric: LoadedRubric, options: GradeOptions) -> float:
    return options.timeout_s or rubric.rubric.timeouts.total_s


def run_options(
    rubric: LoadedRubric,
    options: GradeOptions,
    datasets: Mapping[str, Path],
    environment: Environment,
) -> RunOptions:
    """What one kernel run gets."""
    total = total_timeout(rubric, options)
    return RunOptions(
        cell_timeout_s=min(rubric.rubric.timeouts.cell_s, total),
        total_timeout_s=total,
        model_variable=rubric.rubric.model_variable,
        seed=options.seed,
        datasets=datasets,
        threads=options.threads,
        epoch_cap=options.epoch_cap,
        train_fraction=options.data.fraction,
        provider=provider_settings(
            datasets, choose_language(options.language, rubric.rubric.language)
        ),
        limits=options.limits,
        environment=environment,
    )


def evaluator_config(rubric: LoadedRubric, options: GradeOptions) -> EvaluatorConfig:
    """What the evaluator process needs to load the grader's data by itself."""
    return EvaluatorConfig(dataset=rubric.rubric.dataset, data=options.data)


def data_info(rubric: LoadedRubric, options: GradeOptions) -> DataInfo:
    return DataInfo(
        source=options.data.source,
        fraction=options.data.fraction,
        dataset=rubric.rubric.dataset.label,
    )


def run_identity(
    rubric: LoadedRubric,
    options: GradeOptions,
    version: str,
    reference: ReferenceSummary | None = None,
    *,
    runs: Sequence[ReferenceSummary] = (),
) -> RunIdentity:
    """The results-store identity: every option except those in NOT_IN_RESULT.

    ``runs``: the reference's seeded runs, when thresholds draw on their spread; a
    retrained seed changes every result, as a retrained single reference does.
    """
    ref = None
    if reference is not None:
        ref = ",".join(f"{r.cache_key}:{r.weights_sha256}" for r in (reference, *runs))
    return RunIdentity(
        rubric_sha256=rubric.sha256,
        options=options.model_dump(mode="json", exclude=set(NOT_IN_RESULT)),
        grader_version=version,
        reference=ref,
    )
