"""Claimed accuracies: found in saved outputs and markdown, held against the measurement."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.checks.base import CheckContext
from autograder.checks.claims import check_claims, find_claims
from autograder.results import DataInfo
from autograder.rubric.models import ClaimsCheck

if TYPE_CHECKING:
    from conftest import Build

REAL = DataInfo(source="real", fraction=1.0, dataset="fashion_mnist")
CHECK = ClaimsCheck(id="claims", points=1, tolerance=0.02)


def _notebook(tmp_path: Path, *cells: nbformat.NotebookNode) -> Path:
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=list(cells)), path)
    return path


def _printed(text: str) -> nbformat.NotebookNode:
    cell: nbformat.NotebookNode = new_code_cell(
        "...", outputs=[new_output("stream", name="stdout", text=text)]
    )
    return cell


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("313/313 - 1s - loss: 0.34\n\nTest accuracy: 0.8770999908447266\n", 0.8771),
        ("Test loss: 0.35, Test accuracy: 0.88", 0.88),
        ("Precisión en test: 87,7 %", 0.877),
        ("accuracy on the test set = 0.91", 0.91),
        ("exactitud en prueba 0.86", 0.86),
    ],
)
def test_printed_claims_are_found(tmp_path: Path, text: str, value: float) -> None:
    (claim,) = find_claims(_notebook(tmp_path, _printed(text)))
    assert claim.value == pytest.approx(value, abs=1e-4)
    assert (claim.cell, claim.where) == (1, "output")


def test_training_logs_are_not_claims(tmp_path: Path) -> None:
    log = "Epoch 10/10\n1875/1875 - 3s - accuracy: 0.9102 - loss: 0.2389 - val_accuracy: 0.88\n"
    assert find_claims(_notebook(tmp_path, _printed(log))) == ()


def test_markdown_and_execute_results_count_in_order(tmp_path: Path) -> None:
    result = new_code_cell(
        "test_acc",
        outputs=[new_output("execute_result", data={"text/plain": "'test acc: 0.5'"})],
    )
    words = new_markdown_cell("Obtuvimos una exactitud en test del 88 %.")
    claims = find_claims(_notebook(tmp_path, result, words))
    assert [(c.value, c.cell, c.where) for c in claims] == [
        (0.5, 1, "output"),
        (0.88, 2, "markdown"),
    ]


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"cells": 3}'])
def test_unreadable_notebooks_have_no_claims(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_bytes(content)
    assert find_claims(path) == ()


def _context(
    build: Build, tmp_path: Path, claim: str, data: DataInfo = REAL, test: float = 0.10
) -> CheckContext:
    claims = find_claims(_notebook(tmp_path, _printed(claim)))
    return dataclasses.replace(build.context(build.model(test=test)), data=data, claims=claims)


def test_a_false_claim_fails_naming_both_numbers(build: Build, tmp_path: Path) -> None:
    outcome = check_claims(CHECK, _context(build, tmp_path, "Test accuracy: 0.99"))
    assert outcome.status == "fail"
    assert outcome.message.startswith("claimed 0.99, measured 0.1 (differs by 0.890 > 0.02")
    assert outcome.measured["claimed"] == pytest.approx(0.99)


def test_an_honest_claim_passes(build: Build, tmp_path: Path) -> None:
    ctx = _context(build, tmp_path, "Test accuracy: 0.8712", test=0.8771)
    outcome = check_claims(CHECK, ctx)
    assert (outcome.status, outcome.points) == ("pass", 1)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (DataInfo(source="synthetic", fraction=1.0, dataset="fashion_mnist"), "synthetic"),
        (DataInfo(source="real", fraction=0.1, dataset="fashion_mnist"), "0.1 of the data"),
    ],
)
def test_claims_are_skipped_when_not_comparable(
    build: Build, tmp_path: Path, data: DataInfo, reason: str
) -> None:
    outcome = check_claims(CHECK, _context(build, tmp_path, "Test accuracy: 0.99", data))
    assert outcome.status == "skipped"
    assert reason in outcome.message
    assert (outcome.points, outcome.max_points) == (0, 0)


def test_no_claim_is_skipped_with_the_reason(build: Build, tmp_path: Path) -> None:
    outcome = check_claims(CHECK, _context(build, tmp_path, "hello"))
    assert outcome.status == "skipped"
    assert outcome.message.startswith("no test accuracy reported")
