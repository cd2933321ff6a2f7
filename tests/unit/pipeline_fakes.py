"""Fakes for the grading pipeline's two backends: the kernel runner and the measurer.

Injected through ``Backends`` (``cli.main(argv, backends=...)``, ``build_grader``,
``open_grader``), the way httpx tests hand a client a transport: everything else
(discovery, data copy, extraction, checks, assembly, the store) is the real code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.artifacts import MANIFEST, Artifacts, ExportedModel, RecordedCall
from autograder.errors import EvaluationError
from autograder.execution.runner import ExecutionRecord, JobPaths, RunOptions
from autograder.execution.source import SubmissionSource
from autograder.grading.grader import Backends
from autograder.measure import Budget, Holdout
from autograder.measure.facts import ModelMeasurements
from autograder.results import CellError, ExecutionSummary, Protection


@dataclass
class FakeKernel:
    """Runs nothing: leaves ``artifacts`` as a kernel's probe would, one file per model.

    ``by_file`` gives a file (by name) its own artifacts; ``errors`` its cell errors.
    """

    artifacts: Artifacts = field(default_factory=Artifacts)
    by_file: dict[str, Artifacts] = field(default_factory=dict)
    errors: dict[str, list[CellError]] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)
    options: list[RunOptions] = field(default_factory=list)

    def __call__(
        self, source: SubmissionSource, job: JobPaths, options: RunOptions
    ) -> ExecutionRecord:
        self.ran.append(source.path.name)
        self.options.append(options)
        job.create()
        artifacts = self.by_file.get(source.path.name, self.artifacts)
        manifest = artifacts.model_dump(mode="json", exclude={"directory"})
        (job.artifacts / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        for model in artifacts.models:
            if model.file is not None:
                (job.artifacts / model.file).write_bytes(b"not really a .keras file")
        summary = ExecutionSummary(duration_s=0.5, errors=self.errors.get(source.path.name, []))
        return ExecutionRecord(summary=summary, artifacts_dir=job.artifacts, log_path=job.log)


@dataclass
class FakeMeasurer:
    """Answers from a table by model key (``default`` for the others); records each call.

    A value that is a string is raised as the EvaluationError it names.
    """

    default: ModelMeasurements | str | None = None
    by_key: dict[str, ModelMeasurements | str] = field(default_factory=dict)
    calls: list[tuple[str, Holdout | None]] = field(default_factory=list)
    seconds: Callable[[str], float] = lambda _key: 0.0
    protection: Protection | None = None

    def measure(
        self,
        path: Path,
        key: str,
        *,
        holdout: Holdout | None = None,
        budget: Budget | None = None,
    ) -> ModelMeasurements:
        if budget is not None:
            budget.require()
            budget.spend(self.seconds(key))
        self.calls.append((key, holdout))
        answer = self.by_key.get(key, self.default)
        if answer is None:
            raise EvaluationError(f"{path.name}: no measurement for {key}")
        if isinstance(answer, str):
            raise EvaluationError(answer)
        return answer.model_copy(update={"key": key})


def graded_model(
    model: ModelMeasurements | None, calls: list[RecordedCall], variable: str = "model"
) -> Backends:
    """A kernel that leaves one trained model bound to ``variable``, measured as ``model``."""
    exported = ExportedModel(
        key="m0",
        file="m0.keras",
        class_name="Sequential",
        variables=[variable],
        compiled=True,
        fitted=True,
    )
    kernel = FakeKernel(Artifacts(models=[exported] if model else [], calls=calls))
    return Backends(runner=kernel, measurer=FakeMeasurer(model))
