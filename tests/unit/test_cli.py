"""The CLI surface: help texts, exit codes, one-line errors (no kernels here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperGroup

from autograder.cli import app, main

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, TyperGroup):
        for name, sub in sorted(command.commands.items()):
            found += _commands(sub, (*path, name))
    return found


ROOT_COMMAND = typer.main.get_command(app)
COMMANDS = _commands(ROOT_COMMAND)


def _summary(path: tuple[str, ...]) -> str:
    """The first paragraph of the command's own help (its docstring or ``help=``)."""
    command = ROOT_COMMAND
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.commands[name]
    return " ".join((command.help or "").split("\n\n")[0].split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_command_tree_is_walked() -> None:
    # A broken walk would make the help test below vacuous.
    assert {("grade",), ("check",), ("rubric", "validate"), ("schema", "result")} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "autograder")
def test_every_command_has_help(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    summary = _summary(command)
    assert len(summary.split()) >= 3, f"{command}: no one-line summary in its docstring"
    assert main([*command, "--help"]) == 0
    out = _flat(capsys.readouterr().out)
    assert _flat(f"Usage: autograder {' '.join(command)}") in out
    assert summary in out


def test_every_command_has_its_own_summary() -> None:
    summaries = [_summary(c) for c in COMMANDS]
    assert len(set(summaries)) == len(summaries)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("autograder ")


def test_rubric_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubric", "validate", str(FIXTURES / "rubrics" / "valid.yaml")]) == 0
    assert ": ok (" in capsys.readouterr().out


def test_rubric_validate_reports_lines_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    bad = FIXTURES / "rubrics" / "unknown_kind.yaml"
    assert main(["rubric", "validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err
    assert all(line.startswith(f"{bad}:") for line in err)
    assert "Traceback" not in "\n".join(err)


def test_rubric_validate_speaks_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")
    bad = FIXTURES / "rubrics" / "missing_key.yaml"
    assert main(["rubric", "validate", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{bad}:7: checks[0]: falta la clave obligatoria 'points'"
    )


def test_rubric_schema_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubric", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "checks" in schema["properties"]


def test_result_schema_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "result"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"submission", "rubric", "data", "status", "checks", "metrics"} <= set(
        schema["properties"]
    )


def test_grade_with_bad_rubric_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nb = tmp_path / "a.py"
    nb.write_text("x = 1\n")
    code = main(
        [
            "grade",
            str(nb),
            "--rubric",
            str(FIXTURES / "rubrics" / "bad_dataset.yaml"),
            "--data",
            "synthetic",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "bad_dataset.yaml" in err
    assert not (tmp_path / "out").exists()


def test_grade_with_bad_rubric_speaks_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")
    rubric = FIXTURES / "rubrics" / "unknown_key.yaml"
    script = tmp_path / "a.py"
    script.write_text("x = 1\n")
    assert main(["grade", str(script), "--rubric", str(rubric), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: {rubric}:11: checks[1]: falta la clave obligatoria 'layers' (y 1 más)"
    )


def test_grade_missing_path_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["grade", str(tmp_path / "nope"), "--rubric", str(FIXTURES / "rubrics" / "valid.yaml")]
    )
    assert code == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_bad_option_value_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", "x", "--rubric", "r.yaml", "--data", "imaginary"]) == 2
    assert "imaginary" in capsys.readouterr().err
