"""Kernel environments: the rubric field, the cache key, the uv build and its failures.

The builds here are real uv runs against a wheel written in the test (a fraction of a
second, no index, no network); the kernel side is in tests/integration.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from student_reports import report_for

from autograder import environments
from autograder.artifacts import Artifacts
from autograder.cli import main
from autograder.errors import KernelEnvironmentError, RubricError
from autograder.i18n import text
from autograder.reports.console import render_submission
from autograder.reports.student import render_self_check
from autograder.results import CellError, ExecutionSummary, GradeReport, KernelEnvironment
from autograder.rubric import LoadedRubric, load_rubric
from tests.tiny_wheel import write_wheel

VALID = Path(__file__).parent.parent / "fixtures" / "rubrics" / "valid.yaml"
COURSE = {"paquete_curso/__init__.py": "def saludo(nombre):\n    return f'Hola, {nombre}'\n"}

needs_uv = pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH")


def rubric_with(tmp_path: Path, environment: str) -> Path:
    path = tmp_path / "rubric.yaml"
    path.write_text(VALID.read_text(encoding="utf-8") + environment, encoding="utf-8")
    return path


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadedRubric:
    """A rubric declaring the course's own package, served from a wheels folder only."""
    write_wheel(tmp_path / "wheels", "paquete-curso", "0.1.0", COURSE)
    monkeypatch.setenv("UV_NO_INDEX", "1")  # the local folder or nothing: never PyPI
    block = "environment:\n  packages: [paquete-curso==0.1.0, numpy]\n  find_links: [wheels]\n"
    return load_rubric(rubric_with(tmp_path, block))


# --- the rubric field ------------------------------------------------------------------


def test_a_rubric_without_environment_gets_the_default(tmp_path: Path) -> None:
    loaded = load_rubric(VALID)
    assert loaded.rubric.environment.packages == []
    found = environments.lookup(loaded, tmp_path)
    assert found is not None
    assert found.site is None
    assert found.info.name == "default"
    assert found.info.tensorflow != "absent"


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        pytest.param("['numpy>>1']", "'numpy>>1' is not a valid requirement", id="bad_requirement"),
        pytest.param("['paquete @ https://example.org/p.whl']", "URLs are not accepted", id="url"),
        pytest.param("[Pandas, pandas>=2]", "'pandas' is listed twice", id="duplicate"),
    ],
)
def test_invalid_packages_are_rubric_errors_on_their_line(
    tmp_path: Path, block: str, problem: str
) -> None:
    path = rubric_with(tmp_path, f"environment:\n  packages: {block}\n")
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    (line,) = caught.value.problems
    assert "\n" not in line
    assert line.startswith(f"{path}:")
    assert problem in line


def test_key_ignores_order_and_spelling_but_not_versions() -> None:
    key = environments.environment_key(["paquete-curso==0.1.0", "Numpy"])
    assert key == environments.environment_key(["numpy", "Paquete_Curso ==0.1.0"])
    assert key != environments.environment_key(["numpy", "paquete-curso==0.2.0"])


# --- building and the cache -----------------------------------------------------------


@needs_uv
def test_built_once_then_read_from_the_cache(course: LoadedRubric, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert environments.lookup(course, cache) is None
    built = environments.ensure(course, cache)
    assert built.info.from_cache is False
    assert built.info.name == "rubric"
    # numpy is the grader's own: resolved against it, never installed over it.
    assert built.info.installed == ["paquete-curso==0.1.0"]
    assert built.site is not None
    assert (built.site / "paquete_curso" / "__init__.py").is_file()
    assert sorted(p.name for p in built.site.iterdir()) == [
        "paquete_curso",
        "paquete_curso-0.1.0.dist-info",
    ]
    shutil.rmtree(tmp_path / "wheels")  # a rebuild would now fail: the hit must not need one
    again = environments.ensure(course, cache)
    assert again.info.from_cache is True
    assert again.info.model_copy(update={"from_cache": False}) == built.info
    assert again.site == built.site


@needs_uv
def test_a_corrupt_manifest_is_a_miss(course: LoadedRubric, tmp_path: Path) -> None:
    built = environments.ensure(course, tmp_path / "cache")
    assert built.site is not None
    (built.site.parent / "environment.json").write_text("{not json", encoding="utf-8")
    assert environments.lookup(course, tmp_path / "cache") is None
    assert environments.ensure(course, tmp_path / "cache").info.from_cache is False


@needs_uv
def test_an_entry_the_grader_now_provides_itself_is_stale(
    course: LoadedRubric, tmp_path: Path
) -> None:
    built = environments.ensure(course, tmp_path / "cache")
    assert built.site is not None
    manifest = built.site.parent / "environment.json"
    # As if the grader's own environment had since gained numpy (it has): the overlay
    # would shadow it from the front of the path, so the entry must be rebuilt.
    raw = manifest.read_text(encoding="utf-8")
    manifest.write_text(raw.replace('"paquete-curso==0.1.0"\n', '"numpy==0.1"\n'))
    assert '"numpy==0.1"' in manifest.read_text(encoding="utf-8")
    assert environments.lookup(course, tmp_path / "cache") is None


@needs_uv
def test_cold_cache_offline_fails_in_one_line_naming_package_and_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UV_OFFLINE", "1")
    path = rubric_with(tmp_path, "environment:\n  packages: [paquete-que-no-existe==9.9]\n")
    with pytest.raises(KernelEnvironmentError) as caught:
        environments.ensure(load_rubric(path), tmp_path / "cache")
    message = str(caught.value)
    assert "\n" not in message
    assert "paquete-que-no-existe==9.9" in message
    assert f"autograder env sync --rubric {path}" in message
    assert not any((tmp_path / "cache").iterdir())  # nothing half-built is left behind


@needs_uv
def test_a_package_conflicting_with_the_graders_pins_fails_at_build_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_wheel(tmp_path / "wheels", "paquete-curso", "0.2.0", COURSE, requires=["numpy<1"])
    monkeypatch.setenv("UV_NO_INDEX", "1")
    block = "environment:\n  packages: [paquete-curso==0.2.0]\n  find_links: [wheels]\n"
    loaded = load_rubric(rubric_with(tmp_path, block))
    with pytest.raises(KernelEnvironmentError, match="numpy"):
        environments.ensure(loaded, tmp_path / "cache")


@needs_uv
def test_env_sync_command_builds_then_reports_the_cache(
    course: LoadedRubric, capsys: pytest.CaptureFixture[str]
) -> None:
    # The CLI uses the user cache dir: tests point XDG_CACHE_HOME at a private one.
    assert main(["env", "sync", "--rubric", str(course.path)]) == 0
    first = capsys.readouterr().out
    assert "built kernel environment" in first
    assert "paquete-curso==0.1.0" in first
    assert main(["env", "sync", "--rubric", str(course.path)]) == 0
    assert "is ready" in capsys.readouterr().out


def test_env_sync_without_packages_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["env", "sync", "--rubric", str(VALID)]) == 0
    assert "no extra packages" in capsys.readouterr().out


@needs_uv
def test_env_sync_failure_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("UV_OFFLINE", "1")
    path = rubric_with(tmp_path, "environment:\n  packages: [paquete-que-no-existe==9.9]\n")
    assert main(["env", "sync", "--rubric", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ")
    assert "paquete-que-no-existe" in err


# --- the missing-module line ----------------------------------------------------------


def _reply(shown: object) -> dict[str, object]:
    return {"user_expressions": {"module": {"status": "ok", "data": {"text/plain": shown}}}}


@pytest.mark.parametrize(
    ("shown", "module"),
    [
        pytest.param("'cv2'", "cv2", id="plain"),
        pytest.param("'google.colab'", "google.colab", id="dotted"),
        pytest.param("None", None, id="no_name"),
        pytest.param("'os; rm -rf /'", None, id="not_an_identifier"),
        pytest.param("'\\x1b[31mred'", None, id="escape_sequence"),
        pytest.param("'" + "a" * 300 + "'", None, id="unbounded"),
        pytest.param("__import__('os')", None, id="not_a_literal"),
        pytest.param(12, None, id="not_text"),
    ],
)
def test_module_name_from_the_kernel_is_validated(shown: object, module: str | None) -> None:
    assert environments.module_from_reply(_reply(shown)) == module
    assert environments.module_from_reply({"status": "error"}) is None


def test_missing_module_line_names_module_cell_and_the_rubric_fix() -> None:
    error = CellError(cell=3, ename="ModuleNotFoundError", evalue="x", module="cv2")
    args = environments.missing_module_args(error)
    assert args == {"cell": 3, "module": "cv2", "package": "opencv-python-headless"}
    english = text("report.missing_module", "en", **args)
    spanish = text("report.missing_module", "es", **args)
    assert "cell 3" in english
    assert "celda 3" in spanish
    for line in (english, spanish):
        assert "`cv2`" in line
        assert "environment: {packages: [opencv-python-headless]}" in line
    unnamed = error.model_copy(update={"module": None})
    assert environments.missing_module_args(unnamed) is None
    other = error.model_copy(update={"ename": "ImportError"})
    assert environments.missing_module_args(other) is None


def _report_with_execution() -> GradeReport:
    report = report_for(None, Artifacts(models=[]))
    execution = ExecutionSummary(
        duration_s=3.0,
        errors=[CellError(cell=4, ename="ModuleNotFoundError", evalue="No module", module="cv2")],
        environment=KernelEnvironment(
            name="rubric",
            key="0123456789abcdef0123",
            packages=["paquete-curso==0.1.0"],
            installed=["paquete-curso==0.1.0"],
            python="3.11.7",
            tensorflow="2.21.0",
            from_cache=False,
        ),
    )
    return report.model_copy(update={"execution": execution})


def test_student_report_gives_the_missing_module_line_in_spanish() -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    render_self_check(
        _report_with_execution(),
        console,
        lang="es",
        title="Taller 3",
        hidden=0,
        quick_epochs=None,
        failed=[],
    )
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "celda 4: el módulo `cv2` no está instalado" in out
    assert "environment: {packages: [opencv-python-headless]}" in out


def test_instructor_console_names_the_module_and_the_environment() -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    render_submission(_report_with_execution(), console)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "cell 4: module `cv2` is not installed where notebooks are graded" in out
    assert "0123456789abcdef0123: paquete-curso==0.1.0 (built for this run)" in out
