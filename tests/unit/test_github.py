"""--format github: Markdown step summary and ::error annotations; grade --fail-under."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pipeline_fakes import graded_model
from student_reports import ROOT, RUBRIC_PATH, report_for

from autograder import cli
from autograder.grading.grader import Backends
from autograder.measure.facts import ModelMeasurements
from autograder.reports.github import error_annotations, step_summary, write_github
from autograder.results import GradeReport

NOTEBOOK = ROOT / "submissions" / "fashion-mnist" / "correct.ipynb"

if TYPE_CHECKING:
    from conftest import Build


@pytest.fixture
def failing_model(build: Build) -> ModelMeasurements:
    layers = [
        build.layer("Flatten", shape=(None, 784)),
        build.layer("Dense", 500, "relu", (None, 500)),
        build.layer("Dense", 10, "softmax", (None, 10)),
    ]
    model: ModelMeasurements = build.model(layers, trainable=397_510, test=0.78, train=0.85)
    return model


@pytest.fixture
def failing(build: Build, failing_model: ModelMeasurements) -> GradeReport:
    model = failing_model
    report = report_for(model, build.context(model, [build.fit(10)]).artifacts)
    return report.model_copy(
        update={"submission": report.submission.model_copy(update={"path": "hw/a,b:c.ipynb"})}
    )


def test_annotations_one_per_failing_check_escaped(failing: GradeReport) -> None:
    lines = error_annotations([failing], "en")
    assert [line.split("title=")[1].split(" ")[0] for line in lines] == [
        "architecture",
        "parameters",
    ]
    first = lines[0]
    # Commas and colons in properties, newlines in data: GitHub's escaping rules.
    assert first.startswith("::error file=hw/a%2Cb%3Ac.ipynb,title=architecture (0/2)::")
    assert "layer 2: expected Dense(128, relu), found Dense(500, relu)%0Ahint: Compare" in first
    assert "\n" not in first


def test_summary_is_a_markdown_table_in_spanish(failing: GradeReport) -> None:
    summary = step_summary([failing], "es", title="Taller 3")
    assert summary.startswith("## Autograder: Taller 3\n")
    assert f"### ana — Total: {failing.score:g} / {failing.max_score:g}" in summary
    assert "| Comprobación | Estado | Puntos | Mensaje |" in summary
    row = next(line for line in summary.splitlines() if line.startswith("| `architecture`"))
    assert "❌ fallida" in row
    assert "capa 2: se esperaba Dense(128, relu)" in row
    assert row.count("|") == 5  # no stray pipes from messages


def test_summary_goes_to_the_step_summary_file(failing: GradeReport, tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n", encoding="utf-8")
    out = io.StringIO()
    written = write_github(
        [failing], "en", title="T", stdout=out, environ={"GITHUB_STEP_SUMMARY": str(target)}
    )
    assert written == target
    content = target.read_text(encoding="utf-8")
    assert content.startswith("earlier step\n## Autograder: T")  # appended, never replaced
    assert out.getvalue().count("::error ") == 2
    assert "## Autograder" not in out.getvalue()


def test_without_actions_the_summary_goes_to_stdout(failing: GradeReport) -> None:
    out = io.StringIO()
    assert write_github([failing], "en", title="T", stdout=out, environ={}) is None
    assert "## Autograder: T" in out.getvalue()


def _fakes(build: Build, model: ModelMeasurements) -> Backends:
    """grade without kernels or TensorFlow: every kernel leaves ``model``, trained 10 epochs
    (the reference too, so relative thresholds are met and only the structure fails)."""
    return graded_model(model, [build.fit(10)])


# The failing report scores 7 of 10 (architecture and parameters lost): 7.5 is above it.
@pytest.mark.parametrize(("threshold", "code"), [(None, 0), (2, 0), (7, 0), (7.5, 1)])
def test_grade_exit_code_and_fail_under(
    build: Build,
    failing_model: ModelMeasurements,
    tmp_path: Path,
    threshold: float | None,
    code: int,
) -> None:
    args = ["grade", str(NOTEBOOK), "--rubric", str(RUBRIC_PATH), "--out", str(tmp_path / "o")]
    args += ["--data", "synthetic", "--jobs", "1"]
    if threshold is not None:
        args += ["--fail-under", str(threshold)]
    assert cli.main(args, backends=_fakes(build, failing_model)) == code


def test_grade_format_github(
    build: Build,
    failing_model: ModelMeasurements,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary = tmp_path / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    args = ["grade", str(NOTEBOOK), "--rubric", str(RUBRIC_PATH), "--out", str(tmp_path / "o")]
    args += ["--data", "synthetic", "--jobs", "1"]
    fakes = _fakes(build, failing_model)
    assert cli.main([*args, "--format", "github", "--lang", "en"], backends=fakes) == 0
    assert "::error file=" in capsys.readouterr().out
    assert "| `architecture` | ❌ fail |" in summary.read_text(encoding="utf-8")


def test_workflow_in_docs_caches_uv_and_keras_and_uses_real_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import yaml  # noqa: PLC0415  # only this test reads YAML directly

    workflow = yaml.safe_load((ROOT / "docs" / "github-actions.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["grade"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    setup_uv = next(s for s in steps if s.get("uses", "").startswith("astral-sh/setup-uv"))
    assert setup_uv["with"]["enable-cache"] is True
    cached = [s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/cache")]
    assert "${{ env.KERAS_HOME }}/datasets" in cached
    assert ".autograder-venv" in cached
    assert any(u.startswith("actions/checkout") for u in uses)
    grade = next(s["run"] for s in steps if s.get("name") == "Grade")
    assert cli.main(["grade", "--help"]) == 0
    help_text = capsys.readouterr().out
    for option in ("--format", "--fail-under", "--out", "--rubric"):
        assert option in grade
        assert option in help_text
