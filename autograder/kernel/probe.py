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


_SAMPLED_ROWS = 256
_test_signatures: dict[str, set[bytes]] = {}


def signature(row: Any) -> bytes | None:
    """A row's pixel ranking: the same after /255, standardising or a reshape.

    Rows with few distinct values (blank images) rank alike by chance: no signature.
    """
    import hashlib

    import numpy as np

    flat = np.asarray(row).ravel()
    if flat.size < 16 or np.unique(flat).size < 8:
        return None
    order = np.argsort(flat, kind="stable").astype(np.int32)
    return hashlib.blake2b(order.tobytes(), digest_size=16).digest()


def test_signatures(path: str) -> set[bytes]:
    if path not in _test_signatures:
        import numpy as np

        with np.load(path) as data:
            x_test = data["x_test"]
            found = {signature(row) for row in x_test}
        _test_signatures[path] = {s for s in found if s is not None}
    return _test_signatures[path]


def test_overlap(x: Any) -> dict[str, int] | None:
    """How many of (up to) 256 evenly spaced rows of ``x`` are rows of a test split.

    Recorded with each fit (bootstrap's fit record): information for the grader's
    leakage flag, never a score.  None for inputs that are not arrays.
    """
    shape = getattr(x, "shape", None)
    if shape is None or len(shape) < 2 or not shape[0]:
        return None
    import numpy as np

    rows = int(shape[0])
    picks = np.linspace(0, rows - 1, num=min(rows, _SAMPLED_ROWS)).astype(int)
    sampled = [signature(np.asarray(x[int(i)])) for i in picks]
    signed = [s for s in sampled if s is not None]
    paths = [str(p) for p in dict(_state().config.get("datasets") or {}).values()]
    known: set[bytes] = set()
    for path in paths:
        known |= test_signatures(path)
    return {"sampled": len(signed), "test_rows": sum(s in known for s in signed)}


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
