"""A tiny pure-Python wheel, written with the standard library (PEP 427 layout)."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path


def _digest(data: bytes) -> str:
    raw = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={raw.decode()}"


def write_wheel(
    folder: Path,
    name: str,
    version: str,
    modules: dict[str, str],
    requires: list[str] | None = None,
) -> Path:
    """``<name>-<version>-py3-none-any.whl`` in ``folder``; ``modules``: path -> source."""
    module = name.replace("-", "_")
    info = f"{module}-{version}.dist-info"
    files = {path: source.encode() for path, source in modules.items()}
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        "Summary: A course helper package (test fixture)\n"
        + "".join(f"Requires-Dist: {r}\n" for r in requires or [])
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: tests/wheels.py\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    record = [f"{path},{_digest(data)},{len(data)}" for path, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel
