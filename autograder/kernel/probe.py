"""The export half of the kernel side: hands models and records to the runner.

Executed in the kernel next to :mod:`autograder.kernel.bootstrap` (same private
namespace, so it imports nothing from ``autograder``).  Nothing goes through a file
the grader reads: every model's ``.keras`` bytes and the recorded calls are published
as display data with a private MIME type, inside the runner's own silent request.
The runner keeps only messages whose parent is that request (anything of this type
emitted by a student cell is tampering) and writes every file itself.

The kernel is untrusted, so what arrives here is untrusted too: the grader treats the
records as information and checks them against the model file
(:mod:`autograder.integrity`).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sys
import tempfile
from typing import Any

MIME = "application/x-autograder-artifact+json"


def _publish(payload: dict[str, Any]) -> None:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:  # not in a kernel: nothing listens
        return
    shell.display_pub.publish(data={MIME: json.dumps(payload, default=str)}, metadata={})


def _model_bytes(model: Any, cap: int) -> tuple[bytes | None, str | None]:
    """The model saved as .keras in a private temporary dir, read back (or why not)."""
    # Under the state's scratch dir: bootstrap's save hook knows these are our exports.
    scratch = tempfile.mkdtemp(dir=state_dir())
    path = os.path.join(scratch, "model.keras")
    try:
        model.save(path)
        size = os.path.getsize(path)
        if size > cap:
            return None, f"the saved model is {size} bytes, more than the {cap} allowed"
        with open(path, "rb") as fh:
            return fh.read(cap + 1), None
    except Exception as exc:  # noqa: BLE001  # a model that cannot be saved is reported, not fatal
        return None, f"{type(exc).__name__}: {exc}"[:500]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _send_model(state: Any, model: Any) -> None:
    key = state.key(model)
    data, error = _model_bytes(model, int(state.config.get("model_cap", 64 << 20)))
    if data is None:
        state.save_errors[key] = error
        return
    state.save_errors.pop(key, None)
    state.files[key] = f"{key}.keras"
    _publish({"kind": "model", "key": key, "data": base64.b64encode(data).decode("ascii")})


def _send_manifest(state: Any, user_ns: dict[str, Any] | None) -> None:
    names: dict[int, list[str]] = {}
    if user_ns is not None:
        for name, value in list(user_ns.items()):
            if not name.startswith("_") and id(value) in state.keys:
                names.setdefault(id(value), []).append(name)
    models = [
        {
            "key": state.keys[id(m)],
            "file": state.files.get(state.keys[id(m)]),
            "class_name": type(m).__name__,
            "variables": sorted(names.get(id(m), [])),
            "compiled": state.keys[id(m)] in state.compiled,
            "fitted": state.keys[id(m)] in state.fitted,
            "save_error": state.save_errors.get(state.keys[id(m)]),
            "copy_of": state.copies.get(state.keys[id(m)]),
        }
        for m in state.models
    ]
    _publish({"kind": "manifest", "models": models, "calls": state.calls})


def _state() -> Any:
    return getattr(sys.modules["_autograder_state"], "state")  # noqa: B009


def state_dir() -> str:
    return str(_state().artifacts)


def checkpoint() -> None:
    """After each cell: export the models trained since the last checkpoint.

    A later cell may crash the kernel (``os._exit``); what was trained before it
    is already on the grader's side.
    """
    state = _state()
    dirty = [m for m in state.models if state.keys[id(m)] in state.dirty]
    if not dirty:
        return
    state.dirty.clear()
    for model in dirty:
        _send_model(state, model)
    _send_manifest(state, None)


def probe(model_variable: str) -> None:
    """After the last cell: export every tracked model and the named variable."""
    import keras

    state = _state()
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    user_ns: dict[str, Any] = (
        shell.user_ns if shell is not None else dict(vars(sys.modules["__main__"]))
    )
    candidate = user_ns.get(model_variable)
    if isinstance(candidate, keras.Model):
        state.key(candidate)
    for model in list(state.models):
        key = state.key(model)
        if (
            key in state.fitted
            or key in state.compiled
            or key in state.copies
            or model is candidate
        ):
            _send_model(state, model)
    state.dirty.clear()
    _send_manifest(state, user_ns)
