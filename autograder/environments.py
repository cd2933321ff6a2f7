"""Kernel environments: the grader's own (Colab-like), and a rubric's packages over it.

The default environment is the grader's virtualenv, installed from ``uv.lock``: NumPy,
pandas, scikit-learn, SciPy, Matplotlib, seaborn, Pillow, OpenCV, TensorFlow Datasets,
what Colab preinstalls.  A rubric may declare more (``environment: {packages: [...]}``);
those are built with uv, once, into an overlay directory of the user cache::

    <cache>/autograder/environments/<key>/site/              the packages
    <cache>/autograder/environments/<key>/environment.json   what was installed

keyed by the requirements, the Python and TensorFlow versions and the platform.  The
kernel still runs the grader's interpreter, with the overlay first on ``PYTHONPATH``
and bound read-only in the sandbox.

Why an overlay and not a venv of its own: the requirements are resolved with every
distribution the grader has installed pinned as a constraint, and only the ones it
lacks are installed (``--no-deps``).  So the overlay can never shadow the grader's
NumPy or TensorFlow (the way a plain ``pip install --target`` put first on the path
does), and a requirement that conflicts with them fails at build time with uv's
explanation, not in a student's cell.  A second venv would need the same filtering
(uv does not count packages outside a venv as installed), plus an interpreter of its
own for the kernelspec and the sandbox.  One limit: ``.pth`` files in the overlay are
not processed (``PYTHONPATH`` entries are not site dirs).

Once built, an environment is only read: grading never runs uv on a warm cache, so it
works offline (``autograder env sync`` warms it ahead of time).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import platformdirs
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pydantic import BaseModel, ConfigDict, ValidationError

from autograder.errors import KernelEnvironmentError
from autograder.i18n import choose_language, text
from autograder.results import CellError, KernelEnvironment
from autograder.rubric import LoadedRubric

_UV_TIMEOUT_S = 1800.0
_MAX_UV_ERROR = 400
_BOX_MARKS = "\u00d7\u2570\u2500\u25b6\u2502\u251c "  # uv's tree drawing: x, corners, bars

# Import names that differ from the distribution that provides them, for the hint a
# missing module gives; every other module is suggested under its own name.
_DISTRIBUTIONS = {
    "cv2": "opencv-python-headless",
    "sklearn": "scikit-learn",
    "skimage": "scikit-image",
    "PIL": "pillow",
    "yaml": "pyyaml",
    "bs4": "beautifulsoup4",
    "google": "google-api-python-client",
    "tensorflow_datasets": "tensorflow-datasets",
    "tensorflow_hub": "tensorflow-hub",
}

MODULE_QUERY = "getattr(__import__('sys').last_value, 'name', None)"
"""A user expression the grader evaluates after a ModuleNotFoundError: IPython keeps
the last exception in ``sys.last_value``, and the exception's ``name`` is the module."""


@dataclass(frozen=True)
class Environment:
    """What the kernel runs with: the record results carry, and the overlay to add."""

    info: KernelEnvironment
    site: Path | None = None
    """The overlay directory (first on PYTHONPATH, bound read-only); None: default."""


class _Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = 1
    environment: KernelEnvironment


def cache_dir() -> Path:
    """Where built environments live: the user cache dir (XDG_CACHE_HOME on Linux)."""
    return platformdirs.user_cache_path("autograder", appauthor=False) / "environments"


def default_environment() -> Environment:
    """The grader's own environment, as results record it."""
    return Environment(
        KernelEnvironment(name="default", python=_python(), tensorflow=_tensorflow())
    )


def environment_key(packages: list[str]) -> str:
    """The cache key: requirements (normalised, any order), Python, TensorFlow, platform."""
    canonical = sorted(_canonical(p) for p in packages)
    identity = {
        "schema": 1,
        "packages": canonical,
        "python": _python(),
        "implementation": sys.implementation.name,
        "tensorflow": _tensorflow(),
        "platform": sysconfig.get_platform(),
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:20]


def lookup(loaded: LoadedRubric, directory: Path | None = None) -> Environment | None:
    """The environment the rubric needs when it is ready (or is the default); else None."""
    packages = loaded.rubric.environment.packages
    if not packages:
        return default_environment()
    key = environment_key(packages)
    entry = (directory or cache_dir()) / key
    try:
        raw = (entry / "environment.json").read_text(encoding="utf-8")
        manifest = _Manifest.model_validate_json(raw)
    except (OSError, ValueError, ValidationError):
        return None
    if manifest.environment.key != key or not (entry / "site").is_dir():
        return None
    # Built when the grader lacked these; once the grader has one itself, the overlay
    # (first on the path) would shadow it: rebuild rather than mix two versions.
    added = {canonicalize_name(pin.split("==", 1)[0]) for pin in manifest.environment.installed}
    if added & _installed().keys():
        return None
    return Environment(manifest.environment.model_copy(update={"from_cache": True}), entry / "site")


def ensure(
    loaded: LoadedRubric, directory: Path | None = None, *, force: bool = False
) -> Environment:
    """The rubric's environment: from the cache, else built now (``from_cache`` False).

    Raises KernelEnvironmentError, in one line naming the packages, uv's reason and the
    command that builds it, when uv cannot build it (offline, unknown package, conflict).
    """
    if not force:
        found = lookup(loaded, directory)
        if found is not None:
            return found
    return _build(loaded, directory or cache_dir())


def sync(loaded: LoadedRubric, directory: Path | None = None, *, force: bool = False) -> str:
    """``autograder env sync``: build (or confirm) the rubric's environment; one line."""
    lang = choose_language(None, loaded.rubric.language)
    if not loaded.rubric.environment.packages:
        return text("env.default", lang, rubric=loaded.path)
    env = ensure(loaded, directory, force=force)
    added = ", ".join(env.info.installed) or text("env.nothing_added", lang)
    if env.info.from_cache:
        return text("env.cached", lang, rubric=loaded.path, key=env.info.key, installed=added)
    where = env.site.parent if env.site else ""
    key = env.info.key
    return text("env.built", lang, rubric=loaded.path, key=key, installed=added, path=where)


def package_for(module: str) -> str:
    """The distribution to declare for a missing module (``cv2`` -> opencv-python-headless)."""
    top = module.split(".", 1)[0]
    return _DISTRIBUTIONS.get(top, top.replace("_", "-"))


def missing_module_args(error: CellError) -> dict[str, object] | None:
    """Arguments of ``report.missing_module`` for a cell's failed import, else None."""
    if error.ename != "ModuleNotFoundError" or error.module is None:
        return None
    return {"cell": error.cell, "module": error.module, "package": package_for(error.module)}


def module_from_reply(content: dict[str, Any]) -> str | None:
    """The module name in the kernel's answer to :data:`MODULE_QUERY`, validated.

    The answer comes from student-controlled state: only a bounded dotted identifier
    is accepted.
    """
    expressions = content.get("user_expressions")
    answer = expressions.get("module") if isinstance(expressions, dict) else None
    data = answer.get("data") if isinstance(answer, dict) else None
    shown = data.get("text/plain") if isinstance(data, dict) else None
    if not isinstance(shown, str) or len(shown) > 250:
        return None
    try:
        value = ast.literal_eval(shown)
    except (ValueError, SyntaxError):
        return None
    if not isinstance(value, str) or not value:
        return None
    parts = value.split(".")
    return value if all(p.isidentifier() and p.isascii() for p in parts) else None


# --- building --------------------------------------------------------------------------


def _build(loaded: LoadedRubric, directory: Path) -> Environment:
    spec = loaded.rubric.environment
    key = environment_key(spec.packages)
    uv = shutil.which("uv")
    if uv is None:
        raise _failure(loaded, "uv is not on PATH (https://docs.astral.sh/uv/)")
    links: list[str] = []
    for folder in spec.find_links:
        path = (loaded.path.parent / folder).resolve()
        if not path.is_dir():
            raise _failure(loaded, f"find_links folder {path} does not exist")
        links += ["--find-links", str(path)]
    directory.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=directory))
    try:
        base = _installed()
        (scratch / "requirements.in").write_text("\n".join(spec.packages) + "\n")
        # The grader's versions as constraints: the overlay resolves around them.
        pins = "".join(f"{name}=={version}\n" for name, version in sorted(base.items()))
        (scratch / "constraints.txt").write_text(pins)
        _uv(
            loaded,
            [
                *(uv, "pip", "compile", str(scratch / "requirements.in")),
                *("--constraint", str(scratch / "constraints.txt"), "--python", sys.executable),
                *("--no-header", "--no-annotate", "--quiet"),
                *("--output-file", str(scratch / "resolved.txt"), *links),
            ],
        )
        resolved = _pinned((scratch / "resolved.txt").read_text(encoding="utf-8"))
        missing = [f"{n}=={v}" for n, v in sorted(resolved.items()) if n not in base]
        site = scratch / "site"
        site.mkdir()
        if missing:
            _uv(
                loaded,
                [
                    *(uv, "pip", "install", "--target", str(site), "--no-deps"),
                    *("--compile-bytecode", "--python", sys.executable, "--quiet"),
                    *links,
                    *missing,
                ],
            )
            (site / ".lock").unlink(missing_ok=True)  # uv's own, not part of the environment
        info = KernelEnvironment(
            name="rubric",
            key=key,
            packages=list(spec.packages),
            installed=missing,
            python=_python(),
            tensorflow=_tensorflow(),
        )
        manifest = _Manifest(environment=info).model_dump_json(indent=2)
        (scratch / "environment.json").write_text(manifest, encoding="utf-8")
        for name in ("requirements.in", "constraints.txt", "resolved.txt"):
            (scratch / name).unlink()
        entry = directory / key
        if entry.exists():  # a stale or forced entry: replaced, never merged
            shutil.rmtree(entry)
        try:
            os.rename(scratch, entry)
        except OSError as exc:  # another grader process finished the same build first
            found = lookup(loaded, directory)
            if found is None:
                raise _failure(loaded, f"cannot write {entry}: {exc}") from None
            return found
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Environment(info.model_copy(update={"from_cache": False}), entry / "site")


def _uv(loaded: LoadedRubric, argv: list[str]) -> None:
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=_UV_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _failure(loaded, f"uv could not run: {exc}") from None
    if done.returncode != 0:
        raise _failure(loaded, _condense(done.stderr) or f"uv exited with {done.returncode}")


def _condense(stderr: str) -> str:
    """uv's multi-line diagnosis as one line (box-drawing marks dropped)."""
    words = []
    for line in stderr.splitlines():
        cleaned = line.strip().lstrip(_BOX_MARKS).strip()
        for prefix in ("error:", "cause:", "Caused by:"):
            cleaned = cleaned.removeprefix(prefix).strip()
        if cleaned and not cleaned.startswith("hint:"):
            words.append(cleaned.rstrip(":."))
    text = ": ".join(words)
    return text if len(text) <= _MAX_UV_ERROR else text[: _MAX_UV_ERROR - 1] + "…"


def _failure(loaded: LoadedRubric, reason: str) -> KernelEnvironmentError:
    packages = ", ".join(loaded.rubric.environment.packages)
    return KernelEnvironmentError(
        f"{loaded.path}: cannot build the kernel environment ({packages}): {reason}; "
        f"run `autograder env sync --rubric {loaded.path}` where the packages can be downloaded"
    )


def _canonical(text: str) -> str:
    """One spelling per requirement: ``Paquete_Curso ==0.1`` and ``paquete-curso==0.1`` agree."""
    requirement = Requirement(text)
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    specifier = ",".join(sorted(str(s) for s in requirement.specifier))
    marker = f"; {requirement.marker}" if requirement.marker else ""
    return f"{canonicalize_name(requirement.name)}{extras}{specifier}{marker}"


def _pinned(compiled: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for raw in compiled.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        versions = [s.version for s in requirement.specifier if s.operator == "=="]
        if versions:
            pins[canonicalize_name(requirement.name)] = versions[0]
    return pins


def _installed() -> dict[str, str]:
    """Every distribution of the grader's environment, by canonical name."""
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(canonicalize_name(name), dist.version)
    return found


def _python() -> str:
    return ".".join(str(part) for part in sys.version_info[:3])


def _tensorflow() -> str:
    for name in ("tensorflow", "tensorflow-cpu", "tf-nightly"):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "absent"
