"""The compile check: optimizer, learning rate, loss, from_logits and metrics.

The settings come from the reloaded model (what Keras saved), not from what the
student printed; the recorded ``compile`` call is only a fallback for a model saved
without them.  One softmax-vs-logits mistake is caught even when the rubric does
not name ``from_logits``: the loss must agree with what the output layer produces.
"""

from __future__ import annotations

import math
from typing import Any

from autograder.checks import ACTIVATION_LAYERS, no_model, share
from autograder.checks.base import CheckContext, Problem, result
from autograder.i18n import Said, say
from autograder.measure.facts import CompileInfo, LayerInfo
from autograder.measure.keras_model import PROBABILITY_ACTIVATIONS, canonical_loss
from autograder.results import CheckResult
from autograder.rubric.models import CompileCheck
from autograder.text import snake_case

_METRIC_ALIASES = {"acc": "accuracy", "sparse_categorical_accuracy": "accuracy"}
_FIELDS = {"optimizer", "learning_rate", "loss", "from_logits", "metrics"}
FALLBACK_NOTE = "from the recorded compile call; the saved model kept no compile settings"


def effective_compile(ctx: CheckContext) -> tuple[CompileInfo | None, str | None]:
    """The graded model's compile settings and, when not from the saved model, a note why."""
    if ctx.model is None:
        return None, None
    if ctx.model.compile is not None:
        return ctx.model.compile, None
    calls = [c for c in ctx.artifacts.calls_for(ctx.model.key, "compile") if c.error is None]
    if not calls:
        return None, None
    return recorded_compile(calls[-1].args), FALLBACK_NOTE


def recorded_compile(args: dict[str, Any]) -> CompileInfo:
    """Read the kernel's summary of a ``compile`` call (untrusted, so every field is checked)."""
    optimizer, learning_rate = args.get("optimizer"), None
    if isinstance(optimizer, dict):
        rate = optimizer.get("learning_rate")
        learning_rate = float(rate) if isinstance(rate, (int, float)) else None
        optimizer = optimizer.get("class_name")
    loss, from_logits = args.get("loss"), None
    if isinstance(loss, dict):
        logits = loss.get("from_logits")
        from_logits = logits if isinstance(logits, bool) else None
        loss = loss.get("class_name")
    loss_name = canonical_loss(loss) if isinstance(loss, str) else None
    if from_logits is None and loss_name is not None and loss_name.endswith("crossentropy"):
        from_logits = False  # Keras' default for a loss given by name
    metrics = args.get("metrics")
    return CompileInfo(
        optimizer=optimizer.lower() if isinstance(optimizer, str) else None,
        learning_rate=learning_rate,
        loss=loss_name,
        from_logits=from_logits,
        metrics=[m.lower() for m in metrics if isinstance(m, str)]
        if isinstance(metrics, list)
        else [],
    )


def output_activation(layers: list[LayerInfo]) -> str | None:
    """The activation the model's last layer applies, or None when it has none to report."""
    if not layers:
        return None
    last = layers[-1]
    return ACTIVATION_LAYERS.get(last.type, last.activation)


def canonical_metric(name: str) -> str:
    snake = snake_case(name.strip())
    return _METRIC_ALIASES.get(snake, canonical_loss(snake))


_RECOMPILED = "recompiled after training: the saved optimizer never took a step"


def check_compile(check: CompileCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    info, note = effective_compile(ctx)
    expected = check.model_dump(include=_FIELDS, exclude_none=True)
    if info is None:
        return result(
            check,
            "fail",
            "the model was never compiled (no compile settings saved or recorded)",
            expected=expected,
            said=say("compile.never"),
        )
    problems = _problems(check, info, output_activation(ctx.model.layers))
    if check.optimizer is not None and ctx.model.optimizer_iterations == 0 and ctx.fits():
        # The file's optimizer never stepped: these are not the settings it trained with.
        problems.insert(0, Problem("optimizer", info.optimizer, check.optimizer, _RECOMPILED))
    failed = [p.text for p in problems]
    total = len(expected)
    status, points = share(check, failed, total)
    if failed:
        message = "; ".join(failed)
        if status == "partial":
            message += f" ({total - len(failed)} of {total} settings match)"
    else:
        message = _summary(info)
    if note:
        message += f" ({note})"
    measured = info.model_dump()
    return result(
        check,
        status,
        message,
        expected=expected,
        measured=measured,
        points=points,
        said=_said(problems, info),
    )


def _said(problems: list[Problem], info: CompileInfo) -> Said:
    if not problems:
        return say("compile.pass", summary=_summary(info))
    first = problems[0]
    if first.setting in ("double_softmax", "logits_unmarked"):
        return say(f"compile.{first.setting}", activation=first.found)
    return first.said("compile.mismatch")


def _problems(check: CompileCheck, info: CompileInfo, activation: str | None) -> list[Problem]:
    failed: list[Problem] = []
    if check.optimizer is not None and _bare(info.optimizer) != _bare(check.optimizer):
        found = info.optimizer or "unknown"
        text = f"optimizer {found} (expected {check.optimizer})"
        failed.append(Problem("optimizer", found, check.optimizer, text))
    if check.learning_rate is not None and not (
        info.learning_rate is not None
        # Keras stores the rate as float32: 0.001 comes back as 0.0010000000474974513.
        and math.isclose(info.learning_rate, check.learning_rate, rel_tol=1e-6)
    ):
        shown = "unknown" if info.learning_rate is None else f"{info.learning_rate:.6g}"
        text = f"learning rate {shown} (expected {check.learning_rate:g})"
        failed.append(Problem("learning_rate", shown, f"{check.learning_rate:g}", text))
    if check.loss is not None:
        problem = _loss_problem(check.loss, check.from_logits is None, info, activation)
        if problem:
            failed.append(problem)
    if check.from_logits is not None and bool(info.from_logits) != check.from_logits:
        text = f"from_logits={bool(info.from_logits)} (expected {check.from_logits})"
        failed.append(Problem("from_logits", bool(info.from_logits), check.from_logits, text))
    if check.metrics is not None:
        present = {canonical_metric(m) for m in info.metrics}
        missing = [m for m in check.metrics if canonical_metric(m) not in present]
        if missing:
            text = f"metrics {info.metrics} lack {', '.join(missing)}"
            shown = ", ".join(info.metrics) or "[]"
            failed.append(Problem("metrics", shown, ", ".join(check.metrics), text))
    return failed


def _loss_problem(
    loss: str, check_consistency: bool, info: CompileInfo, activation: str | None
) -> Problem | None:
    if info.loss is None or canonical_loss(info.loss) != canonical_loss(loss):
        found, wanted = info.loss or "unknown", canonical_loss(loss)
        return Problem("loss", found, wanted, f"loss {found} (expected {wanted})")
    # A rubric that names from_logits gets it compared on its own instead.
    if not check_consistency or activation is None or not info.loss.endswith("crossentropy"):
        return None
    if info.from_logits and activation in PROBABILITY_ACTIVATIONS:
        text = f"the loss uses from_logits=True but the output layer already applies {activation}"
        return Problem("double_softmax", activation, None, text)
    if not info.from_logits and activation not in PROBABILITY_ACTIVATIONS:
        text = (
            f"the output layer is {activation} (it outputs logits) but the loss expects "
            "probabilities (from_logits=False)"
        )
        return Problem("logits_unmarked", activation, None, text)
    return None


def _bare(name: str | None) -> str:
    return (name or "").lower().replace("_", "")


def _summary(info: CompileInfo) -> str:
    parts = [info.optimizer or "unknown optimizer"]
    if info.learning_rate is not None:
        parts[0] += f" (lr {info.learning_rate:.6g})"
    loss = info.loss or "unknown loss"
    parts.append(f"{loss}, from_logits" if info.from_logits else loss)
    if info.metrics:
        parts.append("metrics " + ", ".join(info.metrics))
    return "; ".join(parts)
