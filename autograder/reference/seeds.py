"""The reference over several seeds: one cache entry per seed, and their spread.

``autograder reference --seeds 5`` trains seeds 0..4 (those the cache lacks) and
reports mean, standard deviation, min and max of test accuracy, train accuracy and
gap.  Each seed is its own entry (the seed is part of the cache key), so a second call
trains nothing, and raising ``--seeds`` from 3 to 5 trains only seeds 3 and 4.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from autograder.checks.thresholds import ReferenceMetric, Spread
from autograder.datasets.base import DataOptions
from autograder.reference.cache import ReferenceOutcome, TrainSeed, lookup_seeds
from autograder.rubric import LoadedRubric

SPREAD_METRICS: tuple[ReferenceMetric, ...] = ("test_accuracy", "train_accuracy", "overfitting_gap")


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetricSpread(_Data):
    """One metric of the reference over its seeded runs."""

    metric: ReferenceMetric = Field(description="test_accuracy, train_accuracy or overfitting_gap.")
    n: int = Field(description="Runs that measured this metric.")
    mean: float = Field(description="Mean over the runs.")
    sd: float = Field(description="Sample standard deviation (n - 1); 0 for a single run.")
    min: float = Field(description="Lowest run.")
    max: float = Field(description="Highest run.")
    values: tuple[float, ...] = Field(description="One value per run, in seed order.")


class SeedRun(_Data):
    """Where one seed's numbers came from."""

    seed: int = Field(description="The seed the reference was trained under.")
    entry: str = Field(description="The cache entry's file.")
    source: Literal["cache", "trained"] = Field(description="Read from the cache, or trained now.")


class ReferenceSpreadResult(_Data):
    """The reference over seeds 0..n-1: per-seed provenance and per-metric spread."""

    seeds: int = Field(description="How many seeds (0..seeds-1) were run.")
    runs: tuple[SeedRun, ...] = Field(description="One per seed, in seed order.")
    metrics: tuple[MetricSpread, ...] = Field(
        description="Spread of each metric that every run measured (some may be absent)."
    )

    @property
    def trained(self) -> int:
        return sum(run.source == "trained" for run in self.runs)


def reference_seeds(
    loaded: LoadedRubric,
    data: DataOptions,
    seeds: int,
    train: TrainSeed,
    *,
    force: bool = False,
    directory: Path | None = None,
) -> tuple[ReferenceSpreadResult, tuple[ReferenceOutcome, ...]]:
    """Every seed from the cache, else trained by ``train``; raises ReferenceSolutionError."""
    outcomes = lookup_seeds(loaded, data, seeds, train, force=force, directory=directory)
    return spread_result(outcomes), outcomes


def spread_result(outcomes: tuple[ReferenceOutcome, ...]) -> ReferenceSpreadResult:
    """The spread of the outcomes' metrics (pure: no cache, no training)."""
    runs = tuple(
        SeedRun(
            seed=o.record.key.seed,
            entry=str(o.path),
            source="cache" if o.from_cache else "trained",
        )
        for o in outcomes
    )
    metrics = []
    for metric in SPREAD_METRICS:
        values = tuple(v for o in outcomes if (v := getattr(o.record.summary, metric)) is not None)
        if not values:
            continue
        spread = Spread(values)
        metrics.append(
            MetricSpread(
                metric=metric,
                n=spread.n,
                mean=round(spread.mean, 6),
                sd=round(spread.sd, 6),
                min=spread.min,
                max=spread.max,
                values=values,
            )
        )
    return ReferenceSpreadResult(seeds=len(outcomes), runs=runs, metrics=tuple(metrics))
