"""The result contract: plain data that every renderer and every CI tool reads.

Nothing here renders itself; see :mod:`autograder.reports`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from autograder.classification import Classification

CheckStatus = Literal["pass", "fail", "partial", "error", "skipped"]
SubmissionStatus = Literal["graded", "error", "timeout", "invalid"]
DataSource = Literal["real", "synthetic"]

RESULT_SCHEMA_VERSION: Literal[1] = 1


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CheckResult(_Data):
    id: str = Field(description="The rubric check id.")
    kind: str = Field(description="The rubric check kind.")
    status: CheckStatus = Field(description="pass, fail, partial, error or skipped.")
    points: float = Field(description="Points earned.")
    max_points: float = Field(description="Points available; 0 for skipped checks.")
    message: str = Field(description="One line: why this status (English).")
    message_id: str | None = Field(
        default=None,
        description="Catalog key of `message` (autograder/i18n), so reports can translate it; "
        "null when the check has no catalog entry yet.",
    )
    message_args: dict[str, Any] = Field(
        default_factory=dict, description="Values for the placeholders of `message_id`."
    )
    expected: Any = Field(default=None, description="What the rubric asks for.")
    measured: Any = Field(default=None, description="What the grader measured.")
    details: dict[str, Any] | None = Field(
        default=None, description="Structured extras, e.g. the architecture diff."
    )


class SubmissionInfo(_Data):
    id: str = Field(description="Submission id (file or folder name without suffix).")
    path: str = Field(description="Path of the graded file.")
    sha256: str | None = Field(
        description="SHA-256 of the graded file (of every file, when several); null if unreadable."
    )
    files: list[str] = Field(
        default_factory=list,
        description="Every file that ran, in order, when the submission has several.",
    )
    student_id: str | None = Field(
        default=None, description="The LMS's student id (Moodle participant, Canvas user)."
    )
    display_name: str | None = Field(
        default=None, description="The student's name as the LMS wrote it, else the file name."
    )
    late: bool = Field(default=False, description="The LMS marked the submission as late.")


class RubricInfo(_Data):
    id: str
    sha256: str


class DataInfo(_Data):
    source: DataSource = Field(description="real (Keras cache) or synthetic stand-ins.")
    fraction: float = Field(description="Fraction of each split used, 0 < f <= 1.")
    dataset: str = Field(description="Dataset name, e.g. fashion_mnist.")


class Metrics(_Data):
    """Numbers measured by the grader; null when they could not be measured.

    The one record of these fields: the reference summary and the grader's
    measurements extend it rather than repeat them.
    """

    test_accuracy: float | None = None
    test_loss: float | None = None
    train_accuracy: float | None = None
    train_loss: float | None = None
    overfitting_gap: float | None = None
    trainable_params: int | None = None
    total_params: int | None = None


class CellError(_Data):
    cell: int = Field(description="1-based index of the cell in the notebook.")
    file: str | None = Field(
        default=None, description="Which file, when the submission has several; else null."
    )
    ename: str
    evalue: str
    excerpt: str | None = Field(default=None, description="First line of the cell source.")
    module: str | None = Field(
        default=None,
        description="For ModuleNotFoundError: the module that could not be imported "
        "(the exception's `name`, read in the kernel).",
    )


class SkippedCell(_Data):
    cell: int
    reason: str


class Protection(_Data):
    """One layer of the sandbox the kernel ran under, or the gap where it was unavailable."""

    name: str = Field(description="network, filesystem, memory, processes, disk, timeouts, ...")
    active: bool = Field(description="False when the layer was unavailable on this machine.")
    detail: str = Field(description="The limit, or why the layer was unavailable.")


class KernelEnvironment(_Data):
    """The Python environment a kernel ran in: the grader's own, or a rubric's on top of it."""

    name: Literal["default", "rubric"] = Field(
        description="default: the grader's Colab-like environment; rubric: the rubric's "
        "`environment.packages` layered over it."
    )
    key: str | None = Field(
        default=None, description="Cache key of the rubric's environment; null for default."
    )
    packages: list[str] = Field(
        default_factory=list, description="The rubric's requirements, as written."
    )
    installed: list[str] = Field(
        default_factory=list,
        description="name==version of each distribution added on top of the default one.",
    )
    python: str = Field(description="Python version of the kernel, e.g. 3.11.7.")
    tensorflow: str = Field(description="TensorFlow version of the kernel, or `absent`.")
    from_cache: bool = Field(
        default=True, description="False when this run had to build the environment first."
    )


class ExecutionSummary(_Data):
    duration_s: float
    errors: list[CellError] = Field(default_factory=list)
    timed_out: bool = False
    kernel_died: bool = False
    skipped_cells: list[SkippedCell] = Field(default_factory=list)
    message: str | None = Field(default=None, description="Why execution stopped, if it did.")
    protections: list[Protection] = Field(
        default_factory=list, description="The sandbox layers the kernel ran under."
    )
    environment: KernelEnvironment | None = Field(
        default=None, description="Which Python environment ran the kernel."
    )
    device: str = Field(
        default="cpu",
        description="What the grader gave the kernel to train on: `cpu`, or `gpu:INDEX (NAME)` "
        "as the driver names it (several files: each device once, comma-separated). "
        "Models are always measured on CPU.",
    )


class ReferenceSummary(Metrics):
    """The reference solution, retrained and measured by the grader like a submission."""

    weights_sha256: str | None = Field(
        default=None, description="Digest of the trained weights; equal runs, equal digests."
    )
    duration_s: float = Field(description="Seconds the reference took to run (timing field).")
    cache_key: str = Field(description="The cache entry these numbers came from.")


class LearningCurves(_Data):
    """Per-epoch Keras history of the graded model and of the reference."""

    # A diverged run logs NaN; JSON has no NaN, so it is written (and read back) as null.
    student: dict[str, list[float | None]] = Field(
        default_factory=dict,
        description="History keys (loss, accuracy, val_...) -> epochs; null where not finite.",
    )
    reference: dict[str, list[float | None]] | None = Field(
        default=None, description="The reference's history; null without a reference run."
    )


class OverrideApplied(_Data):
    """An instructor's manual adjustment of one check's points."""

    check: str = Field(description="The rubric check id.")
    points: float = Field(description="Points awarded by the instructor.")
    previous_points: float = Field(description="Points the grader had given.")
    comment: str = Field(description="The instructor's reason, shown in every export.")


class ExperimentRow(_Data):
    """One trained model of a submission, as the experiments table shows it."""

    model: str = Field(description="Kernel-side key of the model, e.g. m3.")
    variables: list[str] = Field(default_factory=list, description="Globals bound to it.")
    architecture: str = Field(description="Layers in short form, e.g. Dense(50, relu) > ...")
    layer_types: list[str] = Field(default_factory=list, description="Layer classes, in order.")
    hidden_units: list[int] = Field(default_factory=list, description="Hidden Dense widths.")
    hidden_activations: list[str] = Field(
        default_factory=list, description="Activations of the hidden Dense/Conv layers."
    )
    l2: bool = Field(default=False, description="Some layer has an L2 kernel regularizer.")
    trainable_params: int | None = None
    optimizer: str | None = None
    learning_rate: float | None = None
    epochs: int = Field(default=0, description="Epochs actually run, over every fit.")
    batch_size: int | None = None
    train_accuracy: float | None = Field(default=None, description="Measured by the grader.")
    val_accuracy: float | None = Field(default=None, description="Measured by the grader.")
    val_source: Literal["split", "test"] | None = Field(
        default=None,
        description="split: the rows validation_split held out; test: the model was validated "
        "on validation_data, measured on the grader's test set.",
    )
    test_accuracy: float | None = Field(default=None, description="Measured by the grader.")
    gap: float | None = Field(default=None, description="Train minus test accuracy.")
    training_s: float | None = Field(default=None, description="Wall-clock time in fit.")
    error: str | None = Field(default=None, description="Why numbers are missing.")


IntegrityCode = Literal[
    "forged_channel",
    "refused_artifact",
    "export_failed",
    "training_mismatch",
    "compile_mismatch",
    "test_leakage",
]
Evidence = dict[str, str | int | float | bool | None]


class IntegrityFlag(_Data):
    """One reason not to take the kernel's account at its word (see autograder.integrity)."""

    code: IntegrityCode = Field(description="What kind of disagreement or tampering.")
    detail: str = Field(
        description="The catalog's English sentence for the code (never student text)."
    )
    evidence: Evidence = Field(
        default_factory=dict, description="The numbers or names the flag rests on."
    )


class GradeReport(_Data):
    """The result of grading one submission: result.json."""

    schema_version: Literal[1] = RESULT_SCHEMA_VERSION
    submission: SubmissionInfo
    rubric: RubricInfo
    data: DataInfo
    status: SubmissionStatus
    message: str | None = Field(default=None, description="Why status is not graded.")
    score: float
    max_score: float
    checks: list[CheckResult] = Field(default_factory=list)
    metrics: Metrics = Field(default_factory=Metrics)
    execution: ExecutionSummary | None = None
    graded_model: str | None = Field(
        default=None, description="Which captured model was graded and why."
    )
    layers: list[dict[str, Any]] = Field(
        default_factory=list, description="Per-layer summary of the graded model."
    )
    reference: ReferenceSummary | None = Field(
        default=None, description="The reference's measurements, when the rubric has one."
    )
    curves: LearningCurves | None = Field(
        default=None, description="Learning curves of the graded model and the reference."
    )
    overrides: list[OverrideApplied] = Field(
        default_factory=list, description="Manual adjustments applied on top of the grader's."
    )
    classification: Classification | None = Field(
        default=None,
        description="Test-split confusion matrix and per-class precision/recall/F1.",
    )
    experiments: list[ExperimentRow] = Field(
        default_factory=list,
        description="Every trained model, when the rubric has an experiments check.",
    )
    integrity: list[IntegrityFlag] = Field(
        default_factory=list,
        description="Where the kernel's account disagreed with what the grader verified, "
        "or the kernel tampered with the runner's channel; informational unless the "
        "rubric attaches a penalty.",
    )


class ClassSummary(_Data):
    """summary.json: one line per submission."""

    schema_version: Literal[1] = RESULT_SCHEMA_VERSION
    rubric: RubricInfo
    data: DataInfo
    submissions: list[GradeReport]
