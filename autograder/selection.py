"""Which of a notebook's models is graded.

The rubric names a variable (``model_variable``, usually ``model``).  Students name
theirs ``model_nn``, ``modelo`` or ``red``, and often train a CNN at the end for
fun: "the last trained model" is then the wrong one.  When the variable is not
bound, every trained model is compared with the rubric's own architecture and
parameters checks (the very functions that grade it), and the closest wins; ties
go to the later model, as before.

Pure: measuring a candidate (layers, parameter counts) is the caller's
``measure`` function, so tests inject fakes and the grader its evaluator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from autograder.artifacts import Artifacts, ExportedModel
from autograder.checks.architecture import check_architecture
from autograder.checks.base import CheckContext
from autograder.checks.parameters import check_parameters
from autograder.i18n import Said, say
from autograder.measure.facts import ModelMeasurements
from autograder.rubric.models import ArchitectureCheck, ParametersCheck, Rubric

Measure = Callable[[ExportedModel], ModelMeasurements | None]
"""Layers and parameter counts of one exported model; None when it cannot be read."""


@dataclass(frozen=True)
class Candidate:
    """One trained model and how well it matches the rubric's architecture."""

    model: ExportedModel
    match: float | None
    """Share of the architecture/parameters checks it satisfies (0..1, weighted by
    points); None when it could not be measured."""


@dataclass(frozen=True)
class Selection:
    """The graded model, why it was chosen, and what it was compared with."""

    model: ExportedModel | None
    why: str
    """The reason in English (reports' ``graded_model`` note)."""
    said: Said
    """The same reason as a catalog message (keys ``selection.*``)."""
    measured: ModelMeasurements | None = None
    """The chosen model's measurement when selection needed one (saves measuring twice)."""
    candidates: tuple[Candidate, ...] = ()
    """Every trained model that was compared, in notebook order; empty when none was."""


def select_model(artifacts: Artifacts, rubric: Rubric, measure: Measure) -> Selection:
    """Pick the model to grade: the rubric's variable, else the best-matching trained one."""
    variable = rubric.model_variable
    bound = [m for m in artifacts.models if variable in m.variables]
    if bound:
        chosen = bound[-1]
        return Selection(
            chosen,
            f"the `{variable}` variable ({chosen.class_name})",
            say("selection.variable", variable=variable, kind=chosen.class_name),
        )
    fitted = [m for m in artifacts.models if m.fitted]
    if len(fitted) == 1:
        label = model_label(fitted[0])
        return Selection(
            fitted[0],
            f"no `{variable}` variable at the end; graded the only trained model ({label})",
            say("selection.only_trained", variable=variable, model=label),
        )
    if fitted:
        return _best_match(fitted, artifacts, rubric, measure)
    compiled = [m for m in artifacts.models if m.compiled]
    if compiled:
        return Selection(
            compiled[-1],
            f"no trained model; graded the last compiled one ({variable!r} unset)",
            say("selection.last_compiled", variable=variable),
        )
    return Selection(
        None,
        f"no Keras model was compiled or trained, and `{variable}` is not a model",
        say("selection.none", variable=variable),
    )


def model_label(model: ExportedModel) -> str:
    """How a report names a model: its variable when it is a plain name, else its key.

    Variable names come from the kernel: only short identifiers are shown.
    """
    names = [v for v in model.variables if v.isidentifier() and len(v) <= 40]
    return f"`{names[-1]}`" if names else f"{model.class_name or 'model'} {model.key}"


def _best_match(
    fitted: list[ExportedModel], artifacts: Artifacts, rubric: Rubric, measure: Measure
) -> Selection:
    variable = rubric.model_variable
    shape_checks = [c for c in rubric.checks if isinstance(c, (ArchitectureCheck, ParametersCheck))]
    if not shape_checks:
        label = model_label(fitted[-1])
        return Selection(
            fitted[-1],
            f"no `{variable}` variable at the end; graded the last trained model instead "
            f"({label}; the rubric has no architecture to compare with)",
            say("selection.last_trained", variable=variable, model=label),
        )
    measured = {m.key: measure(m) for m in fitted}
    candidates = tuple(
        Candidate(m, _match(measured[m.key], shape_checks, artifacts, rubric)) for m in fitted
    )
    # max() keeps the first of equals: scan newest first so ties go to the later model.
    best = max(reversed(candidates), key=lambda c: -1.0 if c.match is None else c.match)
    label = model_label(best.model)
    others = ", ".join(
        f"{model_label(c.model)} {_percent(c.match)}" for c in candidates if c is not best
    )
    return Selection(
        best.model,
        f"no `{variable}` variable at the end; graded {label}, the trained model closest "
        f"to the rubric's architecture ({_percent(best.match)} match; {others})",
        say(
            "selection.best_match",
            variable=variable,
            model=label,
            match=_percent(best.match),
            others=others,
        ),
        measured=measured[best.model.key],
        candidates=candidates,
    )


def _match(
    model: ModelMeasurements | None,
    checks: list[ArchitectureCheck | ParametersCheck],
    artifacts: Artifacts,
    rubric: Rubric,
) -> float | None:
    if model is None:
        return None
    ctx = CheckContext(
        rubric=rubric, model=model, no_model_reason="", artifacts=artifacts, execution=None
    )
    weights = [c.points if any(c.points for c in checks) else 1.0 for c in checks]
    earned = 0.0
    for check, weight in zip(checks, weights, strict=True):
        if isinstance(check, ArchitectureCheck):
            outcome = check_architecture(check, ctx)
            rows = (outcome.details or {}).get("diff") or []
            share = sum(1 for r in rows if r.get("ok")) / len(rows) if rows else 0.0
        else:
            share = 1.0 if check_parameters(check, ctx).status == "pass" else 0.0
        earned += weight * share
    return round(earned / sum(weights), 4)


def _percent(match: float | None) -> str:
    return "?" if match is None else f"{match:.0%}"
