"""HTML feedback and class dashboard: parsed and checked, built without kernels."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest
from student_reports import FASHION, report_for

from autograder.classification import classification, confusion_matrix
from autograder.cli import main
from autograder.reports.html import render_feedback, write_html
from autograder.reports.json_report import write_summary
from autograder.results import ClassSummary


class Page(HTMLParser):
    """Text per section id, images, table rows: what a reader of the page sees."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self.images: list[dict[str, str]] = []
        self.rows: dict[str, list[str]] = {}
        self.meta: list[dict[str, str]] = []
        self.links: list[str] = []
        self._section: str | None = None
        self._row: str | None = None
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "section":
            self._section = found.get("id")
            self.sections.setdefault(self._section or "", [])
        elif tag == "img":
            self.images.append({**found, "section": self._section or ""})
        elif tag == "tr" and ("data-check" in found or "data-submission" in found):
            self._row = found.get("data-check") or found.get("data-submission")
            self.rows[self._row or ""] = []
        elif tag == "meta":
            self.meta.append(found)
        elif tag == "a":
            self.links.append(found.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return
        self.text.append(data.strip())
        if self._section is not None:
            self.sections[self._section].append(data.strip())
        if self._row is not None:
            self.rows[self._row].append(data.strip())


def _png(uri: str) -> bytes:
    assert uri.startswith("data:image/png;base64,")
    data = base64.b64decode(uri.split(",", 1)[1])
    assert data.startswith(b"\x89PNG")
    return data


@pytest.fixture
def wrong_architecture(build):  # type: ignore[no-untyped-def]
    layers = [
        build.layer("Flatten", shape=(None, 784)),
        build.layer("Dense", 500, "relu", (None, 500)),
        build.layer("Dense", 10, "softmax", (None, 10)),
    ]
    model = build.model(layers, trainable=397_510, test=0.78, train=0.93)
    return report_for(model, build.context(model, [build.fit(10)]).artifacts)


def test_feedback_has_score_checks_hints_and_is_phone_friendly(wrong_architecture) -> None:  # type: ignore[no-untyped-def]
    page = Page(render_feedback(wrong_architecture, "es"))
    assert any(m.get("name") == "viewport" for m in page.meta)
    assert f"{wrong_architecture.score:g} / {wrong_architecture.max_score:g}" in page.text
    arch = page.rows["architecture"]
    assert "fallida" in arch
    assert "capa 2: se esperaba Dense(128, relu), se encontró Dense(500, relu)" in arch
    assert "Compara la capa 2 de tu modelo con el enunciado: pide Dense(128, relu)." in arch
    assert "aprobada" in page.rows["compile"]
    # No external resources: the file must open offline, as one file.
    html = render_feedback(wrong_architecture, "es")
    assert not re.search(r"<(script|link)\b|(src|href)=\"https?:", html)
    assert all(img["src"].startswith("data:image/png;base64,") for img in page.images)


def test_feedback_architecture_diff_table(wrong_architecture) -> None:  # type: ignore[no-untyped-def]
    section = Page(render_feedback(wrong_architecture, "en")).sections["architecture"]
    assert "Dense(128, relu) → (None, 128)" in section
    assert "Dense(500, relu) → (None, 500)" in section
    assert any("units: expected 128, found 500" in cell for cell in section)


def test_feedback_confusion_matrix_and_per_class_metrics(wrong_architecture) -> None:  # type: ignore[no-untyped-def]
    page = Page(render_feedback(wrong_architecture, "en"))
    confusion = [img for img in page.images if img["section"] == "confusion"]
    assert len(confusion) == 1
    _png(confusion[0]["src"])
    section = page.sections["confusion"]
    for name in FASHION:
        assert name in section
    # Pullover: 6 right of 10 true (recall .6), predicted 10 times with 6 right (precision .6).
    index = section.index("Pullover")
    assert section[index + 1 : index + 5] == ["0.600", "0.600", "0.600", "10"]


def test_feedback_learning_curves_student_and_reference(wrong_architecture) -> None:  # type: ignore[no-untyped-def]
    page = Page(render_feedback(wrong_architecture, "es"))
    (curves,) = [img for img in page.images if img["section"] == "curves"]
    assert len(_png(curves["src"])) > 1000
    without = wrong_architecture.model_copy(update={"curves": None})
    page = Page(render_feedback(without, "es"))
    assert "No se registró historial de entrenamiento." in page.sections["curves"]
    assert not [img for img in page.images if img["section"] == "curves"]


def test_feedback_escapes_student_text(wrong_architecture) -> None:  # type: ignore[no-untyped-def]
    evil = wrong_architecture.model_copy(update={"message": "<script>alert(1)</script>"})
    html = render_feedback(evil, "en")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_dashboard_distributions_and_links(wrong_architecture, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = wrong_architecture.model_copy(
        update={"submission": wrong_architecture.submission.model_copy(update={"id": "María José"})}
    )
    written = write_html(tmp_path, [wrong_architecture, other], "es", rubric="fashion-mnist")
    assert [p.name for p in written] == ["feedback.html", "feedback.html", "dashboard.html"]
    page = Page((tmp_path / "dashboard.html").read_text(encoding="utf-8"))
    assert any(m.get("name") == "viewport" for m in page.meta)
    sections = {img["section"] for img in page.images}
    assert sections == {"score-distribution", "accuracy-distribution"}
    for img in page.images:
        _png(img["src"])
    assert set(page.rows) == {"ana", "María José"}
    assert "architecture, parameters, gap" in page.rows["ana"]
    for link in page.links:
        assert (tmp_path / unquote(link)).is_file()


def test_html_command_from_a_results_folder(wrong_architecture, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = ClassSummary(
        rubric=wrong_architecture.rubric,
        data=wrong_architecture.data,
        submissions=[wrong_architecture],
    )
    write_summary(tmp_path, summary)
    assert main(["html", str(tmp_path), "--lang", "en"]) == 0
    assert "Feedback: ana" in (tmp_path / "ana" / "feedback.html").read_text(encoding="utf-8")


def test_html_command_bad_summary_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "summary.json").write_text(json.dumps({"nope": 1}), encoding="utf-8")
    assert main(["html", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {tmp_path / 'summary.json'}: not a summary.json")
    assert "\n" not in err


def test_confusion_matrix_and_per_class_numbers() -> None:
    labels = np.array([0, 0, 1, 1, 2, 2], dtype=np.int64)
    predicted = np.array([0, 1, 1, 1, -1, 0], dtype=np.int64)  # -1: a NaN row
    matrix = confusion_matrix(predicted, labels, 3)
    assert matrix == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]
    result = classification(matrix, ["a", "b", "c"])
    a, b, c = result.per_class
    assert a.precision == pytest.approx(0.5)
    assert a.recall == pytest.approx(0.5)
    assert b.precision == pytest.approx(2 / 3)
    assert b.f1 == pytest.approx(0.8)
    assert c.precision is None  # never predicted
    assert c.recall == pytest.approx(0.0)
    assert c.f1 is None
    assert c.support == 1
