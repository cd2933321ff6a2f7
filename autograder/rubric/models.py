"""The rubric: what a solution must show, as frozen Pydantic models.

A rubric is data (``rubrics/<id>.yaml``); this module is its schema.  Checks form a
discriminated union on ``kind`` so that an unknown kind or a misspelt key is an
error at load time, not a silently ignored line.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

from autograder.i18n import en

SCHEMA_VERSION = 1

DatasetName = Literal["mnist", "fashion_mnist", "cifar10", "cifar100", "declared"]
"""Built-in datasets, or `declared`: the rubric's own (see DeclaredDataset)."""
Split = Literal["train", "test"]
Language = Literal["es", "en"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def invalid(key: str, **ctx: Any) -> PydanticCustomError:
    """A validation error the rubric loader can locate and translate: its type is the
    catalog key (``rubric.<name>``), its context the message's arguments."""
    return PydanticCustomError(key, en.MESSAGES[key], ctx)


SHAPE_ERROR = "rubric.value_shape"
"""The error type of a value that fits no member of a number-or-mapping union."""


def _number_or_mapping(number: str, mapping: str) -> Discriminator:
    # Pick the member by the YAML value's shape, so that an error speaks about the
    # member the author meant and its path carries our tag, not Pydantic's label.
    def shape(value: Any) -> str | None:
        if isinstance(value, dict | BaseModel):
            return mapping
        if isinstance(value, int | float) and not isinstance(value, bool):
            return number
        return None

    return Discriminator(shape, custom_error_type=SHAPE_ERROR, custom_error_message="bad shape")


class Range(_Frozen):
    """An inclusive numeric range; either end may be open."""

    min: float | None = Field(default=None, description="Smallest accepted value.")
    max: float | None = Field(default=None, description="Largest accepted value.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min is None and self.max is None:
            raise invalid("rubric.range_empty")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise invalid("rubric.range_order", min=self.min, max=self.max)
        return self

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


IntOrRange = Annotated[
    Annotated[int, Tag("int")] | Annotated[Range, Tag("range")],
    _number_or_mapping("int", "range"),
    Field(description="An exact integer, or a {min, max} range."),
]


class ReferenceBound(_Frozen):
    """A threshold taken from the reference solution's own measurement.

    ``{reference: -0.03}`` is the reference's value minus 0.03; ``{ratio: 0.95}`` is
    95 % of it.  Either way the threshold follows the machine, the TensorFlow version
    and the data the reference was retrained on, so it holds wherever it is graded.
    """

    reference: float | None = Field(
        default=None, ge=-1, le=1, description="Offset added to the reference's value."
    )
    ratio: float | None = Field(
        default=None, gt=0, le=10, description="Factor applied to the reference's value."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> ReferenceBound:
        if (self.reference is None) == (self.ratio is None):
            raise invalid("rubric.reference_bound")
        return self

    def resolve(self, value: float) -> float:
        if self.ratio is not None:
            return value * self.ratio
        return value + (self.reference or 0.0)


Fraction = Annotated[float, Field(ge=0, le=1)]
Bound = Annotated[
    Annotated[Fraction, Tag("fraction")] | Annotated[ReferenceBound, Tag("reference")],
    _number_or_mapping("fraction", "reference"),
    Field(description="A number, or {reference: offset} / {ratio: factor} of the reference."),
]


class Preprocessing(_Frozen):
    """How the grader prepares its copy of the data, as the exercise tells students."""

    scale: float = Field(
        default=255.0,
        gt=0,
        description="Pixels are divided by this (the exercise's `/ 255.0`). Use 1 for none.",
    )


class DeclaredDataset(_Frozen):
    """A small dataset the rubric declares, generated deterministically from these fields.

    Each class gets a random prototype image; samples are prototypes plus Gaussian
    pixel noise, with a few wrong labels.  The submission reads ``<name>.npz`` (arrays
    x_train, y_train, x_test, y_test) from its working directory, where the grader puts
    its own copy; the grader measures on the same arrays.
    """

    name: str = Field(
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Dataset name in reports; the submission loads `<name>.npz`.",
    )
    input_shape: list[int] = Field(
        min_length=1, max_length=3, description="Shape of one sample, e.g. [5, 5]."
    )
    classes: int = Field(ge=2, le=256, description="Number of classes, labels 0..classes-1.")
    train_size: int = Field(gt=0, le=100_000, description="Training samples.")
    test_size: int = Field(gt=0, le=100_000, description="Test samples.")
    noise: float = Field(
        default=48.0, ge=0, le=255, description="Std of the pixel noise, in grey levels."
    )
    label_noise: float = Field(
        default=0.05, ge=0, lt=1, description="Share of samples with a wrong label."
    )
    seed: int = Field(default=0, ge=0, description="Seed of the generator.")

    @model_validator(mode="after")
    def _positive(self) -> DeclaredDataset:
        if any(d <= 0 for d in self.input_shape):
            raise invalid("rubric.input_shape", shape=str(self.input_shape))
        return self


class DatasetSpec(_Frozen):
    name: DatasetName = Field(
        description="Which dataset the exercise uses; `declared`: the `declared` block."
    )
    declared: DeclaredDataset | None = Field(
        default=None, description="With name `declared`: the rubric's own small dataset."
    )
    preprocessing: Preprocessing = Field(
        default_factory=Preprocessing,
        description="The preprocessing the exercise asks for, applied by the grader.",
    )

    @model_validator(mode="after")
    def _declared(self) -> DatasetSpec:
        if (self.name == "declared") != (self.declared is not None):
            raise invalid("rubric.declared_pair")
        return self

    @property
    def label(self) -> str:
        """The name reports show: the built-in name or the declared dataset's."""
        return self.declared.name if self.declared is not None else self.name


class Timeouts(_Frozen):
    cell_s: float = Field(default=600.0, gt=0, description="Seconds one cell may run.")
    total_s: float = Field(
        default=1800.0, gt=0, description="Seconds the whole submission may run."
    )


class _CheckBase(_Frozen):
    id: str = Field(
        pattern=r"^[A-Za-z0-9_.-]+$", description="Unique id, used in reports and exports."
    )
    points: float = Field(ge=0, description="Points this check is worth.")
    description: str | None = Field(default=None, description="Shown in reports.")
    hidden: bool = Field(
        default=False,
        description="Graded by `autograder grade` only; `autograder check` (students) skips it.",
    )
    required: bool = Field(
        default=True,
        description="A failure of this check makes `autograder check` exit non-zero.",
    )


class LayerSpec(_Frozen):
    """One expected layer. Fields left out are not compared."""

    type: str = Field(description="Keras class name, e.g. Dense, Flatten, Conv2D.")
    units: int | None = Field(default=None, description="Dense units.")
    activation: str | None = Field(
        default=None, description="Activation name after normalisation, e.g. relu, softmax."
    )
    output_shape: list[int | None] | None = Field(
        default=None, description="Output shape including the batch axis, e.g. [null, 784]."
    )
    filters: int | None = Field(default=None, description="Conv filters.")
    kernel_size: list[int] | None = Field(
        default=None, description="Conv kernel size, e.g. [3, 3]."
    )
    pool_size: list[int] | None = Field(default=None, description="Pooling window, e.g. [2, 2].")
    rate: float | None = Field(default=None, ge=0, lt=1, description="Dropout rate.")
    l2: float | None = Field(
        default=None, ge=0, description="L2 factor of the kernel regularizer; 0: none."
    )
    initializer: str | None = Field(
        default=None, description="Kernel initializer, e.g. he_normal or glorot_uniform."
    )


class ArchitectureCheck(_CheckBase):
    kind: Literal["architecture"] = "architecture"
    layers: list[LayerSpec] = Field(min_length=1, description="Expected layers, in order.")
    allow_extra: list[str] = Field(
        default_factory=list,
        description="Layer types that may appear in addition to the expected ones (e.g. Dropout).",
    )


class ParametersCheck(_CheckBase):
    kind: Literal["parameters"] = "parameters"
    trainable: IntOrRange | None = Field(default=None, description="Trainable parameters.")
    total: IntOrRange | None = Field(default=None, description="All parameters.")

    @model_validator(mode="after")
    def _something(self) -> ParametersCheck:
        if self.trainable is None and self.total is None:
            raise invalid("rubric.parameters_needs")
        return self


class CompileCheck(_CheckBase):
    kind: Literal["compile"] = "compile"
    optimizer: str | None = Field(default=None, description="Optimizer class, e.g. adam.")
    learning_rate: float | None = Field(default=None, gt=0, description="Expected lr.")
    loss: str | None = Field(
        default=None, description="Loss, e.g. sparse_categorical_crossentropy."
    )
    from_logits: bool | None = Field(
        default=None,
        description="Require this from_logits. Leave out to accept either when the "
        "model's output layer agrees with it.",
    )
    metrics: list[str] | None = Field(default=None, description="Metrics that must be present.")


class TrainingCheck(_CheckBase):
    kind: Literal["training"] = "training"
    epochs: IntOrRange | None = Field(default=None, description="Epochs actually run.")
    batch_size: IntOrRange | None = Field(default=None, description="fit(batch_size=...).")
    validation: Literal["split", "data", "any", "none"] | None = Field(
        default=None,
        description="Whether fit used validation_split, validation_data, either, or none.",
    )
    validation_split: float | None = Field(
        default=None, ge=0, lt=1, description="Exact validation_split expected."
    )


class AccuracyCheck(_CheckBase):
    kind: Literal["accuracy"] = "accuracy"
    split: Split = Field(default="test", description="Which split the grader measures on.")
    min: Bound | None = Field(default=None, description="Lowest passing accuracy.")
    max: Bound | None = Field(default=None, description="Highest passing accuracy.")

    @model_validator(mode="after")
    def _bounded(self) -> AccuracyCheck:
        if self.min is None and self.max is None:
            raise invalid("rubric.accuracy_needs")
        return self


class OverfittingGapCheck(_CheckBase):
    kind: Literal["overfitting_gap"] = "overfitting_gap"
    max: Bound | None = Field(
        default=None, description="Largest accepted train-minus-test accuracy; none: report only."
    )


class ClaimsCheck(_CheckBase):
    """The accuracy a student reports, compared with what the grader measures."""

    kind: Literal["claims"] = "claims"
    tolerance: float = Field(
        default=0.02,
        gt=0,
        le=1,
        description="Largest accepted |claimed - measured| test accuracy (0.02 = 2 points).",
    )


class ExperimentSpec(_Frozen):
    """One configuration an experiments check requires; fields left out are not compared.

    A model matches when it has every property given.  ``each_width`` turns the
    requirement into a sweep: one matching model per width, scored by the share found.
    """

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="Unique within the check.")
    description: str | None = Field(default=None, description="Shown in reports.")
    weight: float = Field(default=1.0, gt=0, description="Share of the check's points.")
    each_width: list[int] | None = Field(
        default=None,
        min_length=1,
        description="A sweep: for every width, a model whose hidden Dense layers all have it.",
    )
    hidden_layers: IntOrRange | None = Field(
        default=None, description="Hidden Dense layers (every Dense but the output)."
    )
    hidden_units: list[int] | None = Field(
        default=None, description="Exact hidden Dense widths, in order, e.g. [300, 50]."
    )
    hidden_activation: str | None = Field(
        default=None, description="Every hidden Dense/Conv layer uses this activation."
    )
    mixed_activations: bool | None = Field(
        default=None, description="Hidden layers use at least two different activations."
    )
    layers: dict[str, IntOrRange] = Field(
        default_factory=dict,
        description="How many layers of each type, e.g. {Conv2D: {min: 3}, Dropout: {min: 1}}.",
    )
    optimizer: str | None = Field(default=None, description="Optimizer class, e.g. rmsprop.")
    learning_rate: float | None = Field(default=None, gt=0, description="Learning rate.")
    batch_size: IntOrRange | None = Field(default=None, description="fit(batch_size=...).")
    l2: bool | None = Field(default=None, description="Some layer has an L2 kernel regularizer.")
    min_val_accuracy: Bound | None = Field(
        default=None,
        description="Validation accuracy measured by the grader (the test set when the "
        "model was validated on validation_data) must reach this; relative bounds follow "
        "the reference's test accuracy.",
    )


class ExperimentsCheck(_CheckBase):
    kind: Literal["experiments"] = "experiments"
    require: list[ExperimentSpec] = Field(
        min_length=1, description="Configurations that some trained model must show."
    )

    @model_validator(mode="after")
    def _unique(self) -> ExperimentsCheck:
        ids = [spec.id for spec in self.require]
        if len(ids) != len(set(ids)):
            raise invalid("rubric.experiment_ids")
        return self


class ConceptGroup(_Frozen):
    """One idea a good answer mentions, in any of several words (Spanish or English)."""

    name: str = Field(description="What the idea is, shown in reports.")
    any: list[str] = Field(
        min_length=1,
        description="Keywords or stems; one is enough. Matched at the start of a word, "
        "ignoring case and accents (`sobreajust` matches `Sobreajuste`).",
    )


class Question(_Frozen):
    """A written question: where to find it and what its answer should mention."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="Unique within the check.")
    text: str | None = Field(default=None, description="The question, shown in reports.")
    tag: str | None = Field(
        default=None, description="Cell tag marking the answer, e.g. answer:q1."
    )
    pattern: str | None = Field(
        default=None,
        description="Regular expression that finds the question in the markdown, matched "
        "without case or accents; the answer runs to the next question.",
    )
    concepts: list[ConceptGroup] = Field(
        default_factory=list, description="Ideas the answer should mention."
    )
    min_words: int = Field(default=10, ge=0, description="Shorter answers earn nothing.")
    weight: float = Field(default=1.0, gt=0, description="Share of the check's points.")

    @model_validator(mode="after")
    def _findable(self) -> Question:
        if self.tag is None and self.pattern is None:
            raise invalid("rubric.question_unfindable", id=repr(self.id))
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise invalid("rubric.question_pattern", id=repr(self.id), error=str(exc)) from None
        return self


class AnswersCheck(_CheckBase):
    kind: Literal["answers"] = "answers"
    questions: list[Question] = Field(min_length=1, description="The written questions.")

    @model_validator(mode="after")
    def _unique(self) -> AnswersCheck:
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise invalid("rubric.question_ids")
        return self


class ClaimedTableCheck(_CheckBase):
    """Accuracies in the student's markdown results tables, against the experiments."""

    kind: Literal["claimed_table"] = "claimed_table"
    tolerance: float = Field(
        default=0.02,
        gt=0,
        le=1,
        description="Largest accepted |claimed - measured| accuracy per row (0.02 = 2 points).",
    )


Check = Annotated[
    ArchitectureCheck
    | ParametersCheck
    | CompileCheck
    | TrainingCheck
    | AccuracyCheck
    | OverfittingGapCheck
    | ClaimsCheck
    | ExperimentsCheck
    | AnswersCheck
    | ClaimedTableCheck,
    Field(discriminator="kind"),
]


class EnvironmentSpec(_Frozen):
    """Packages the kernel needs beyond the grader's own, Colab-like environment.

    The grader installs them once, with uv, into a cache layered over its own
    environment (``autograder env sync`` does it ahead of time); see
    :mod:`autograder.environments`.
    """

    packages: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="PEP 508 requirements, e.g. `xgboost==2.1.1` or `paquete-curso>=0.2`; "
        "no URLs or paths (use `find_links` for local wheels).",
    )
    find_links: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Folders of wheels, relative to the rubric file, searched before the index "
        "(a course's own package).",
    )

    @model_validator(mode="after")
    def _requirements(self) -> EnvironmentSpec:
        seen: dict[str, str] = {}
        for text in self.packages:
            try:
                requirement = Requirement(text)
            except InvalidRequirement as exc:  # packaging draws a caret under a second line
                why = str(exc).splitlines()[0]
                raise invalid("rubric.package_invalid", package=repr(text), error=why) from None
            if requirement.url is not None:
                raise invalid("rubric.package_url", package=repr(text))
            name = canonicalize_name(requirement.name)
            if name in seen:
                first, second = repr(seen[name]), repr(text)
                raise invalid("rubric.package_twice", name=repr(name), first=first, second=second)
            seen[name] = text
        for folder in self.find_links:
            if not folder.strip() or "://" in folder:
                raise invalid("rubric.find_links_folder", folder=repr(folder))
        return self


class ReferenceSpec(_Frozen):
    """The exercise's reference solution, retrained by ``autograder reference``."""

    path: str = Field(
        description="Notebook or script, relative to the rubric file, "
        "e.g. ../exercises/fashion-mnist/reference.ipynb."
    )


class LeakageSpec(_Frozen):
    """What a test-split leakage flag costs (autograder.integrity)."""

    penalty: float = Field(
        default=0.0,
        ge=0,
        description="Points taken off the total when the graded model was fitted on test "
        "rows; 0 (default) only flags it for the instructor.",
    )


class Rubric(_Frozen):
    """A whole rubric file."""

    schema_version: Literal[1] = Field(description="Rubric format version; currently 1.")
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="Exercise id, e.g. fashion-mnist.")
    title: str = Field(description="Human-readable exercise title.")
    dataset: DatasetSpec = Field(description="The data the exercise trains and is graded on.")
    model_variable: str = Field(
        default="model",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Notebook variable holding the model to grade.",
    )
    timeouts: Timeouts = Field(default_factory=Timeouts, description="Execution limits.")
    reference: ReferenceSpec | None = Field(
        default=None, description="Reference solution; needed by reference-relative bounds."
    )
    language: Language | None = Field(
        default=None,
        description="Default language of student-facing reports (es or en); "
        "`--lang` overrides it, the locale decides when both are absent.",
    )
    environment: EnvironmentSpec = Field(
        default_factory=EnvironmentSpec,
        description="Extra packages for the kernel; none: the grader's own environment.",
    )
    submission_files: str | None = Field(
        default=None,
        description="Glob a student's file must match to run, e.g. `*.ipynb` or `taller*.ipynb`; "
        "default: every notebook (else every script) of the submission.",
    )
    checks: list[Check] = Field(min_length=1, description="The checks, in report order.")
    leakage: LeakageSpec = Field(
        default_factory=LeakageSpec,
        description="The penalty for a model fitted on the test split (flagged either way).",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        seen: set[str] = set()
        for check in self.checks:
            if check.id in seen:
                raise invalid("rubric.check_ids", id=check.id)
            seen.add(check.id)
        return self

    @model_validator(mode="after")
    def _reference_declared(self) -> Rubric:
        if self.reference is None and self.relative_checks:
            ids = ", ".join(c.id for c in self.relative_checks)
            raise invalid("rubric.reference_not_set", ids=ids)
        return self

    @property
    def relative_checks(self) -> list[Check]:
        """Checks with a threshold that needs the reference's measurements."""
        return [c for c in self.checks if any(isinstance(b, ReferenceBound) for b in _bounds(c))]

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.checks)


def _bounds(check: Check) -> list[object]:
    if isinstance(check, AccuracyCheck):
        return [check.min, check.max]
    if isinstance(check, OverfittingGapCheck):
        return [check.max]
    if isinstance(check, ExperimentsCheck):
        return [spec.min_val_accuracy for spec in check.require]
    return []
