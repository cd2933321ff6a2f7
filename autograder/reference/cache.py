"""Reference measurements on disk, keyed by everything that can change them.

The key covers the rubric and reference-file bytes, the seed, the data (source,
fraction, generator version), the TensorFlow/Keras versions, the device kind and the
grader version.  Change any of them and the reference is retrained, so a threshold
derived from it always describes the environment that grades.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autograder import __version__, datasets
from autograder.datasets.base import DataOptions
from autograder.errors import ReferenceSolutionError
from autograder.execution.gpus import GpuChoice
from autograder.results import ReferenceSummary
from autograder.rubric import LoadedRubric


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CacheKey(_Data):
    rubric_sha256: str
    reference_sha256: str
    seed: int
    data_source: str
    data_fraction: float
    data_tag: str = Field(description="Dataset file tag, incl. the synthetic generator version.")
    tensorflow: str
    keras: str
    device: str
    grader: str

    def digest(self) -> str:
        canonical = json.dumps(self.model_dump(), sort_keys=True).encode()
        return hashlib.sha256(canonical).hexdigest()[:20]


class ReferenceRecord(_Data):
    """One cache entry: the reference's measurements and learning curves."""

    schema_version: Literal[1] = 1
    key: CacheKey
    reference_path: str
    summary: ReferenceSummary
    history: dict[str, list[float]] = Field(default_factory=dict)
    score: float = Field(description="The reference's own score against the rubric.")
    max_score: float

    @property
    def runs(self) -> tuple[ReferenceSummary, ...]:
        """One entry is one run: thresholds use its summary alone (no spread)."""
        return ()


class SeededReference(_Data):
    """The reference over seeds 0..n-1 (the rubric's ``reference.seeds``), as grading uses it.

    Reports show one run (the grading seed's, else seed 0's); spread-based thresholds
    draw on every run.
    """

    records: tuple[ReferenceRecord, ...] = Field(min_length=2, description="Seeds 0..n-1.")
    seed: int = Field(description="The grading seed: its run is the one reports show.")

    @property
    def record(self) -> ReferenceRecord:
        return next((r for r in self.records if r.key.seed == self.seed), self.records[0])

    @property
    def summary(self) -> ReferenceSummary:
        return self.record.summary

    @property
    def history(self) -> dict[str, list[float]]:
        return self.record.history

    @property
    def runs(self) -> tuple[ReferenceSummary, ...]:
        return tuple(r.summary for r in self.records)


Reference = ReferenceRecord | SeededReference
"""What grading carries: one cached run, or the runs over the rubric's seeds."""


@dataclass(frozen=True)
class ReferenceOutcome:
    record: ReferenceRecord
    path: Path
    """The cache entry's file."""
    from_cache: bool


TrainSeed = Callable[[int], ReferenceOutcome]
"""Trains (and caches) the reference under one seed; injected, so tests count the calls."""


def lookup(
    loaded: LoadedRubric,
    data: DataOptions,
    seed: int,
    directory: Path | None = None,
    *,
    gpus: GpuChoice = "auto",
) -> ReferenceOutcome | None:
    """The cached entry for these settings; cheap: no TensorFlow, no dataset, no kernel."""
    directory = directory or cache_dir()
    key = make_key(loaded, data, seed, gpus=gpus)
    record = load(key, directory)
    if record is None:
        return None
    return ReferenceOutcome(record=record, path=entry_path(key, directory), from_cache=True)


def lookup_seeds(
    loaded: LoadedRubric,
    data: DataOptions,
    seeds: int,
    train: TrainSeed,
    *,
    force: bool = False,
    directory: Path | None = None,
    gpus: GpuChoice = "auto",
) -> tuple[ReferenceOutcome, ...]:
    """Seeds 0..seeds-1, each from its own cache entry, else trained by ``train``."""
    if seeds < 1:
        raise ValueError("seeds must be at least 1")
    directory = directory or cache_dir()
    outcomes = []
    for seed in range(seeds):
        outcome = None if force else lookup(loaded, data, seed, directory, gpus=gpus)
        outcomes.append(outcome if outcome is not None else train(seed))
    return tuple(outcomes)


def resolve_reference(
    loaded: LoadedRubric,
    data: DataOptions,
    seed: int,
    train: TrainSeed,
    *,
    gpus: GpuChoice = "auto",
) -> Reference | None:
    """The one policy every command follows for the reference run.

    The cached run when there is one; else ``train(seed)`` when the rubric's thresholds
    need the reference; else nothing.  A missing reference file only matters when
    thresholds need it: otherwise only the reference's learning curves are lost.
    With ``reference.seeds: n`` (n > 1) and thresholds that need it, the same holds
    for each of seeds 0..n-1: the cached ones are read, the missing ones trained.
    """
    spec = loaded.rubric.reference
    if spec is None:
        return None
    needed = bool(loaded.rubric.relative_checks)
    try:
        if needed and spec.seeds > 1:
            outcomes = lookup_seeds(loaded, data, spec.seeds, train, gpus=gpus)
            return SeededReference(records=tuple(o.record for o in outcomes), seed=seed)
        outcome = lookup(loaded, data, seed, gpus=gpus)
        if outcome is None and needed:
            outcome = train(seed)
    except ReferenceSolutionError:
        if needed:
            raise
        return None
    return outcome.record if outcome else None


def cache_dir() -> Path:
    """Where entries live: the user cache dir (XDG_CACHE_HOME on Linux)."""
    return platformdirs.user_cache_path("autograder", appauthor=False) / "reference"


def reference_path(loaded: LoadedRubric) -> Path:
    spec = loaded.rubric.reference
    if spec is None:
        raise ReferenceSolutionError(f"{loaded.path}: the rubric declares no `reference`")
    path = (loaded.path.parent / spec.path).resolve()
    if not path.is_file():
        raise ReferenceSolutionError(f"{loaded.path}: reference solution {path} not found")
    return path


def make_key(
    loaded: LoadedRubric, data: DataOptions, seed: int, *, gpus: GpuChoice = "auto"
) -> CacheKey:
    path = reference_path(loaded)
    return CacheKey(
        rubric_sha256=loaded.sha256,
        reference_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        seed=seed,
        data_source=data.source,
        data_fraction=data.fraction,
        data_tag=datasets.npz_name(loaded.rubric.dataset.name, data),
        tensorflow=_version("tensorflow", "tensorflow-cpu", "tf-nightly"),
        keras=_version("keras"),
        device=device_kind(gpus),
        grader=__version__,
    )


def device_kind(gpus: GpuChoice = "auto") -> str:
    """cpu or gpu, plus the architecture, decided without importing TensorFlow.

    Importing TensorFlow costs seconds, and a warm cache must answer in well under
    two; a visible NVIDIA device node is what TensorFlow would use, unless ``--gpus
    none`` keeps the kernels on CPU.
    """
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    hidden = gpus == "none" or (visible is not None and visible.strip() in {"", "-1"})
    gpu = not hidden and Path("/dev/nvidiactl").exists()
    return f"{'gpu' if gpu else 'cpu'}-{platform.machine() or 'unknown'}"


def entry_path(key: CacheKey, directory: Path) -> Path:
    return directory / f"{key.digest()}.json"


def load(key: CacheKey, directory: Path) -> ReferenceRecord | None:
    """The cached entry for ``key``; a missing, stale or corrupt file is a miss."""
    try:
        raw = entry_path(key, directory).read_text(encoding="utf-8")
        record = ReferenceRecord.model_validate_json(raw)
    except (OSError, ValueError, ValidationError):
        return None
    return record if record.key == key else None


def save(record: ReferenceRecord, directory: Path) -> Path:
    """Write atomically, so a concurrent reader sees the old entry or the new one."""
    directory.mkdir(parents=True, exist_ok=True)
    target = entry_path(record.key, directory)
    with tempfile.NamedTemporaryFile(
        "w", dir=directory, suffix=".tmp", delete=False, encoding="utf-8"
    ) as tmp:
        tmp.write(record.model_dump_json(indent=2))
    os.replace(tmp.name, target)
    return target


def _version(*distributions: str) -> str:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "absent"
