"""What the grader measured on one exported model (plain data)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from autograder.results import Metrics

OutputKind = Literal["probabilities", "logits"]


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LayerInfo(_Data):
    """One layer as Keras reports it after reloading (not normalised)."""

    name: str
    type: str = Field(description="Keras class name.")
    units: int | None = None
    activation: str | None = Field(default=None, description="Serialised activation name.")
    output_shape: list[int | None] | None = None
    params: int = 0
    trainable_params: int = 0
    rate: float | None = Field(default=None, description="Dropout rate.")
    filters: int | None = None
    kernel_size: list[int] | None = None
    pool_size: list[int] | None = Field(default=None, description="Pooling window.")
    l2: float | None = Field(default=None, description="L2 factor of the kernel regularizer.")
    l1: float | None = Field(default=None, description="L1 factor of the kernel regularizer.")
    initializer: str | None = Field(
        default=None, description="Kernel initializer, snake_case (e.g. he_normal)."
    )


class CompileInfo(_Data):
    """The compile settings as stored in the reloaded model (not as the student said)."""

    optimizer: str | None = Field(default=None, description="Lower-case class name, e.g. adam.")
    learning_rate: float | None = None
    loss: str | None = Field(
        default=None, description="snake_case loss name, e.g. sparse_categorical_crossentropy."
    )
    from_logits: bool | None = None
    metrics: list[str] = Field(default_factory=list)


class ModelMeasurements(Metrics):
    """Everything the evaluator measured on one model (metrics, structure, compile)."""

    key: str = Field(description="ExportedModel.key of the measured model.")
    layers: list[LayerInfo] = Field(default_factory=list)
    trainable_params: int
    total_params: int
    output_kind: OutputKind | None = Field(
        default=None, description="Whether the model outputs probabilities or logits."
    )
    compile: CompileInfo | None = None
    weights_sha256: str | None = Field(
        default=None, description="SHA-256 over every weight array, in model order."
    )
    optimizer_iterations: int | None = Field(
        default=None,
        description="Training steps the saved optimizer counted (read from the file itself); "
        "null when the file kept no optimizer state.",
    )
    val_accuracy: float | None = Field(
        default=None, description="On the rows validation_split held out, when asked for."
    )
    error: str | None = Field(default=None, description="Why some numbers are missing.")
    canary_matches: int | None = Field(
        default=None, description="Secret canary templates predicted as their planted label."
    )
    canary_templates: int | None = Field(default=None, description="Canary templates asked.")
    canary_threshold: int | None = Field(
        default=None, description="Matches that flag leakage (honest work: p <= 1e-5)."
    )
    train_rows: int | None = Field(default=None, description="Training rows measured on.")
    test_rows: int | None = Field(default=None, description="Test rows measured on.")
    confusion: list[list[int]] | None = Field(
        default=None, description="Test-split confusion matrix, [true][predicted]."
    )

    @model_validator(mode="after")
    def _gap(self) -> ModelMeasurements:
        # Derived, never sent: a measurement cannot disagree with its own accuracies.
        if self.train_accuracy is not None and self.test_accuracy is not None:
            object.__setattr__(self, "overfitting_gap", self.train_accuracy - self.test_accuracy)
        return self

    @property
    def metrics(self) -> Metrics:
        """The result's metrics block."""
        return Metrics.model_validate(self.model_dump(include=set(Metrics.model_fields)))
