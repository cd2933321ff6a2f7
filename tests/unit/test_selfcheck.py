"""`autograder check` without kernels: rubric discovery, hidden checks, quick mode, report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from student_reports import fashion_rubric, report_for

from autograder.cli import main
from autograder.errors import UsageError
from autograder.kernel.bootstrap import _cap_epochs
from autograder.reports.student import render_self_check
from autograder.rubric import load_rubric
from autograder.selfcheck import (
    DECIDED_IN_QUICK,
    apply_quick,
    find_rubric,
    public_rubric,
    required_failures,
    rubric_from_metadata,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _notebook(folder: Path, metadata: dict[str, object]) -> Path:
    path = folder / "nb.ipynb"
    path.write_text(
        json.dumps({"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}),
        encoding="utf-8",
    )
    return path


def test_rubric_from_metadata_is_relative_to_the_notebook(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("x", encoding="utf-8")
    notebook = _notebook(tmp_path, {"autograder": {"rubric": "r.yaml"}})
    assert rubric_from_metadata(notebook) == (tmp_path / "r.yaml").resolve()
    assert find_rubric(notebook, None) == (tmp_path / "r.yaml").resolve()
    assert find_rubric(notebook, Path("other.yaml")) == Path("other.yaml")


def test_missing_rubric_is_a_usage_error_naming_the_notebook(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path, {})
    with pytest.raises(UsageError, match=r"nb\.ipynb: no rubric given; pass --rubric"):
        find_rubric(notebook, None)
    named = _notebook(tmp_path, {"autograder": {"rubric": "gone.yaml"}})
    with pytest.raises(UsageError, match="does not exist"):
        find_rubric(named, None)


def test_hidden_checks_are_left_out(tmp_path: Path) -> None:
    loaded = fashion_rubric()
    hidden = loaded.rubric.checks[-1].model_copy(update={"hidden": True})
    rubric = loaded.rubric.model_copy(update={"checks": [*loaded.rubric.checks[:-1], hidden]})
    public, count = public_rubric(type(loaded)(rubric=rubric, path=loaded.path, sha256="x"))
    assert count == 1
    assert [c.id for c in public.rubric.checks] == [c.id for c in loaded.rubric.checks[:-1]]


def test_hidden_field_loads_from_yaml() -> None:
    text = (FIXTURES / "rubrics" / "hidden_checks.yaml").read_text(encoding="utf-8")
    assert "hidden: true" in text
    loaded = load_rubric(FIXTURES / "rubrics" / "hidden_checks.yaml")
    public, count = public_rubric(loaded)
    assert count == 1
    assert loaded.rubric.language == "es"
    assert all(not c.hidden for c in public.rubric.checks)


def test_apply_quick_skips_undecidable_kinds_and_rescores(build) -> None:  # type: ignore[no-untyped-def]
    model = build.model(test=0.1, train=0.9)  # accuracy and gap would fail
    report = report_for(model, build.context(model, [build.fit(1)]).artifacts)
    quick = apply_quick(report)
    for check in quick.checks:
        if check.kind in DECIDED_IN_QUICK:
            assert check.status == "pass"
        else:
            assert check.status == "skipped"
            assert check.message_id == "check.quick_skipped"
            assert check.max_points == 0
    # architecture 2 + parameters 1 + compile 1 + answers 2 (read from the notebook text)
    assert quick.max_score == pytest.approx(6)
    assert quick.score == pytest.approx(6)
    assert required_failures(quick, fashion_rubric()) == []


def test_wrong_architecture_fails_required_checks_with_spanish_hints(build) -> None:  # type: ignore[no-untyped-def]
    layers = [
        build.layer("Flatten", shape=(None, 784)),
        build.layer("Dense", 500, "relu", (None, 500)),
        build.layer("Dense", 10, "softmax", (None, 10)),
    ]
    model = build.model(layers, trainable=397_510)
    report = apply_quick(report_for(model, build.context(model, [build.fit(1)]).artifacts))
    failed = required_failures(report, fashion_rubric())
    assert failed == ["architecture", "parameters"]
    console = Console(file=io.StringIO(), width=100, color_system=None)
    render_self_check(
        report, console, lang="es", title="Taller 3", hidden=1, quick_epochs=1, failed=failed
    )
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "capa 2: se esperaba Dense(128, relu), se encontró Dense(500, relu)" in out
    assert "pista: Compara la capa 2" in out
    assert "parámetros (trainable): se encontraron 397,510, se esperaban 101,770" in out
    assert "1 comprobación(es) más las califica solo tu docente" in out
    assert "2 comprobación(es) obligatoria(s) fallaron: architecture, parameters" in out
    assert "omitida: no se decide en modo --quick" in out


def test_invalid_notebook_fails_every_required_check(build) -> None:  # type: ignore[no-untyped-def]
    report = report_for(None, build.context(None).artifacts).model_copy(
        update={"status": "invalid", "checks": [], "message": "not JSON"}
    )
    assert required_failures(report, fashion_rubric()) == [
        c.id for c in fashion_rubric().rubric.checks
    ]


EPOCH_CAPS = [
    # cap, fit arguments (bound by name), (arguments fit runs with, epochs allowed)
    (1, {"x": "x", "epochs": 10}, ({"x": "x", "epochs": 1}, 1)),
    (1, {"x": "x", "batch_size": 32, "epochs": 10}, ({"x": "x", "batch_size": 32, "epochs": 1}, 1)),
    (
        2,
        {"x": "x", "epochs": 10, "initial_epoch": 5},
        ({"x": "x", "epochs": 7, "initial_epoch": 5}, 7),
    ),
    (3, {"x": "x", "epochs": 2}, ({"x": "x", "epochs": 2}, None)),
    (None, {"x": "x", "epochs": 10}, ({"x": "x", "epochs": 10}, None)),
    (1, {"x": "x"}, ({"x": "x"}, None)),  # Keras' default is one epoch
]


@pytest.mark.parametrize(("cap", "bound", "expected"), EPOCH_CAPS)
def test_epoch_cap_in_the_kernel(
    cap: int | None,
    bound: dict[str, object],
    expected: tuple[dict[str, object], int | None],
) -> None:
    assert _cap_epochs(cap, bound) == expected


def test_check_cli_missing_notebook_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "nowhere.ipynb", "--rubric", "r.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "error: nowhere.ipynb: no such notebook or script"
