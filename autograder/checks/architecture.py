"""The architecture check: the model's layers, compared position by position.

Students write the same network in several ways, so the measured layers are first
normalised to one canonical form:

* the InputLayer is dropped (``Input(shape)`` and ``Flatten(input_shape=...)`` agree);
* a standalone ``Activation``/``Softmax``/``ReLU`` layer is merged into the linear
  layer before it (``Dense(10) + Activation('softmax')`` is ``Dense(10, 'softmax')``);
* a linear final layer trained with ``from_logits=True`` counts as softmax, because
  the loss applies it;
* layer types listed in ``allow_extra`` are set aside.

Only the fields the rubric gives are compared; points are all or nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from autograder.checks import ACTIVATION_LAYERS, no_model
from autograder.checks.base import CheckContext, result
from autograder.checks.compile import effective_compile
from autograder.i18n import Said, say
from autograder.measure.facts import LayerInfo
from autograder.results import CheckResult
from autograder.rubric.models import ArchitectureCheck, LayerSpec

EXTRA_FIELDS = ("filters", "kernel_size", "pool_size", "rate", "l2", "initializer")
"""Layer settings beyond units/activation/shape that a rubric may pin down."""


@dataclass
class CanonicalLayer:
    name: str
    type: str
    units: int | None
    activation: str | None
    output_shape: list[int | None] | None
    logits: bool = False
    """A linear output whose softmax is applied by the loss (from_logits=True)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Conv, pooling, dropout, regularizer and initializer settings the layer has."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "units": self.units,
            "activation": self.activation,
            "output_shape": self.output_shape,
            # Keras' default initializer on every Dense/Conv is noise in a report.
            **{k: v for k, v in self.extra.items() if (k, v) != ("initializer", "glorot_uniform")},
        }


@dataclass
class Normalised:
    """The canonical layers, the allowed extras set aside, and what was merged or assumed."""

    layers: list[CanonicalLayer] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def normalise(layers: list[LayerInfo], allow_extra: list[str], from_logits: bool) -> Normalised:
    """The measured layers in the canonical form described in the module docstring."""
    allowed = {t.lower() for t in allow_extra}
    out = Normalised()
    for info in layers:
        if info.type == "InputLayer":
            continue
        standalone = _standalone_activation(info)
        previous = out.layers[-1] if out.layers else None
        if standalone and previous is not None and _is_linear(previous.activation):
            previous.activation = standalone
            previous.output_shape = info.output_shape or previous.output_shape
            out.notes.append(f"{info.type}({standalone}) merged into {previous.type}")
            continue
        if info.type.lower() in allowed:
            out.ignored.append(info.type)
            continue
        out.layers.append(
            CanonicalLayer(
                name=info.name,
                type=info.type,
                units=info.units,
                activation=standalone or _activation(info.activation),
                output_shape=info.output_shape,
                extra={k: v for k in EXTRA_FIELDS if (v := getattr(info, k)) is not None},
            )
        )
    last = out.layers[-1] if out.layers else None
    if from_logits and last is not None and last.activation == "linear":
        shown = _describe(last.as_dict())
        last.activation, last.logits = "softmax", True
        out.notes.append(f"final {shown} outputs logits (from_logits=True): counted as softmax")
    return out


def check_architecture(check: ArchitectureCheck, ctx: CheckContext) -> CheckResult:
    if ctx.model is None:
        return no_model(check, ctx)
    compile_info, _ = effective_compile(ctx)
    from_logits = bool(compile_info is not None and compile_info.from_logits)
    actual = normalise(ctx.model.layers, check.allow_extra, from_logits)
    rows = [
        _row(i, check.layers[i] if i < len(check.layers) else None, layer)
        for i, layer in enumerate(_pad(actual.layers, len(check.layers)))
    ]
    ok = all(row["ok"] for row in rows)
    message = _pass_message(actual) if ok else _fail_message(rows)
    extras = []
    if actual.ignored:
        extras.append("ignored allowed " + ", ".join(actual.ignored))
    extras.extend(actual.notes)
    if extras:
        message += f" ({'; '.join(extras)})"
    details = {
        "diff": rows,
        "missing": sum(1 for r in rows if r["actual"] is None),
        "extra": sum(1 for r in rows if r["expected"] is None),
        "ignored": actual.ignored,
        "notes": actual.notes,
    }
    return result(
        check,
        "pass" if ok else "fail",
        message,
        expected=[spec.model_dump(exclude_none=True) for spec in check.layers],
        measured=[layer.as_dict() for layer in actual.layers],
        details=details,
        said=_said(rows, actual),
    )


def _said(rows: list[dict[str, Any]], actual: Normalised) -> Said:
    """The catalog form of the verdict: the first problem, which a student fixes first."""
    wrong = [r for r in rows if not r["ok"] and r["expected"] and r["actual"]]
    missing = [_describe(r["expected"]) for r in rows if r["actual"] is None]
    extra = [_describe(r["actual"]) for r in rows if r["expected"] is None]
    if wrong:
        first = wrong[0]
        expected, found = _describe(first["expected"]), _describe(first["actual"])
        if expected == found:  # only the output shape differs
            expected = _shape(first["expected"].get("output_shape"))
            found = _shape(first["actual"].get("output_shape"))
        return say(
            "architecture.mismatch", position=first["position"], expected=expected, found=found
        )
    if missing:
        return say("architecture.missing", count=len(missing), layers=", ".join(missing))
    if extra:
        return say("architecture.extra", count=len(extra), layers=", ".join(extra))
    layers = ", ".join(_describe(layer.as_dict()) for layer in actual.layers)
    return say("architecture.pass", count=len(actual.layers), layers=layers)


def _standalone_activation(info: LayerInfo) -> str | None:
    if info.type == "Activation":
        return _activation(info.activation)
    return ACTIVATION_LAYERS.get(info.type)


def _activation(name: str | None) -> str | None:
    return name.lower() if name else None


def _is_linear(activation: str | None) -> bool:
    # Only layers that have an activation slot report one; Flatten reports None.
    return activation == "linear"


def _pad(layers: list[CanonicalLayer], length: int) -> list[CanonicalLayer | None]:
    padded: list[CanonicalLayer | None] = list(layers)
    padded.extend([None] * (length - len(layers)))
    return padded


def _row(index: int, spec: LayerSpec | None, layer: CanonicalLayer | None) -> dict[str, Any]:
    expected = spec.model_dump(exclude_none=True) if spec is not None else None
    actual = layer.as_dict() if layer is not None else None
    if spec is None or layer is None:
        problems = ["missing layer" if layer is None else "extra layer"]
    else:
        problems = _compare(spec, layer)
    return {
        "position": index + 1,
        "expected": expected,
        "actual": actual,
        "ok": not problems,
        "problems": problems,
    }


def _compare(spec: LayerSpec, layer: CanonicalLayer) -> list[str]:
    problems = []
    if spec.type.lower() != layer.type.lower():
        problems.append(f"type: expected {spec.type}, found {layer.type}")
    if spec.units is not None and spec.units != layer.units:
        problems.append(f"units: expected {spec.units}, found {layer.units}")
    if spec.activation is not None:
        wanted = _same_linear(spec.activation)
        accepted = {_same_linear(layer.activation)}
        if layer.logits:
            accepted.add("linear")  # a rubric may describe the logits layer as it is written
        if wanted not in accepted:
            problems.append(f"activation: expected {spec.activation}, found {layer.activation}")
    problems.extend(_compare_extra(spec, layer))
    if spec.output_shape is not None and not _shape_matches(spec.output_shape, layer.output_shape):
        found = _shape(layer.output_shape)
        problems.append(f"output_shape: expected {_shape(spec.output_shape)}, found {found}")
    return problems


def _compare_extra(spec: LayerSpec, layer: CanonicalLayer) -> list[str]:
    problems = []
    for name in EXTRA_FIELDS:
        wanted = getattr(spec, name)
        if wanted is None:
            continue
        found = layer.extra.get(name)
        if name == "initializer":
            ok = found is not None and _bare(found) == _bare(wanted)
        elif name in ("rate", "l2"):
            # A rubric's `l2: 0` means "no regularizer", which the layer reports as None.
            ok = math.isclose(found or 0.0, wanted, rel_tol=1e-6, abs_tol=1e-12)
        else:
            ok = found == wanted
        if not ok:
            problems.append(f"{name}: expected {wanted}, found {found}")
    return problems


def _bare(name: str) -> str:
    # HeNormal, he_normal and "henormal" name the same initializer.
    return name.lower().replace("_", "")


def _same_linear(activation: str | None) -> str:
    """No activation and 'linear' are the same thing."""
    return (activation or "linear").lower()


def _shape_matches(expected: list[int | None], actual: list[int | None] | None) -> bool:
    if actual is None or len(expected) != len(actual):
        return False
    # None in the rubric is a wildcard (the batch axis, typically).
    return all(e is None or e == a for e, a in zip(expected, actual, strict=True))


def _shape(shape: list[int | None] | None) -> str:
    if shape is None:
        return "unknown"
    return "(" + ", ".join(str(d) for d in shape) + (",)" if len(shape) == 1 else ")")


def _describe(layer: dict[str, Any]) -> str:
    args = [str(layer[k]) for k in ("units", "filters", "activation") if layer.get(k) is not None]
    if layer.get("kernel_size") is not None:
        args.append("x".join(str(k) for k in layer["kernel_size"]))
    if layer.get("rate") is not None:
        args.append(f"rate {layer['rate']:g}")
    if layer.get("l2") is not None:
        args.append(f"l2 {layer['l2']:g}")
    return f"{layer['type']}({', '.join(args)})" if args else str(layer["type"])


def short_form(layers: list[CanonicalLayer]) -> str:
    """Layers as one line: ``Flatten > Dense(128, relu) > Dense(10, softmax)``."""
    return " > ".join(_describe(layer.as_dict()) for layer in layers)


def _pass_message(actual: Normalised) -> str:
    names = ", ".join(_describe(layer.as_dict()) for layer in actual.layers)
    return f"{len(actual.layers)} layers match: {names}"


def _fail_message(rows: list[dict[str, Any]]) -> str:
    wrong = [r for r in rows if not r["ok"] and r["expected"] and r["actual"]]
    missing = [_describe(r["expected"]) for r in rows if r["actual"] is None]
    extra = [_describe(r["actual"]) for r in rows if r["expected"] is None]
    parts = []
    if wrong:
        first = wrong[0]
        if any(not p.startswith("output_shape") for p in first["problems"]):
            described = (
                f"expected {_describe(first['expected'])}, found {_describe(first['actual'])}"
            )
        else:
            described = first["problems"][0]
        parts.append(f"layer {first['position']}: {described}")
        if len(wrong) > 1:
            parts.append(f"{len(wrong) - 1} more mismatched {_plural(len(wrong) - 1, 'layer')}")
    for items, what in ((missing, "missing"), (extra, "extra")):
        if items:
            listed = f" ({', '.join(items)})" if len(items) <= 3 else ""
            parts.append(f"{len(items)} {what} {_plural(len(items), 'layer')}{listed}")
    return "; ".join(parts)


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"
