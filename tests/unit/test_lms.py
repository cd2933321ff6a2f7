"""LMS exports: Moodle/Canvas names, nested zips, and refusing unsafe archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from autograder.errors import ZipRefusedError
from autograder.lms import canvas_identity, moodle_identity, safe_extract
from autograder.submissions import discover

ZIPS = Path(__file__).parent.parent / "fixtures" / "zips"
NB = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def _zip(path: Path, entries: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _zip_bytes(entries: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_moodle_and_canvas_names() -> None:
    moodle = moodle_identity("María José Peña_12345_assignsubmission_file_")
    assert moodle is not None
    assert (moodle.student_id, moodle.display_name) == ("12345", "María José Peña")
    assert moodle_identity("just a folder") is None
    canvas = canvas_identity("peñaçmaria_LATE_12345_67890_Tarea 3.ipynb")
    assert canvas is not None
    assert (canvas.student_id, canvas.display_name, canvas.late) == ("12345", "peñaçmaria", True)
    assert canvas.original_name == "Tarea 3.ipynb"
    on_time = canvas_identity("smithjohn_222_333_hw.py")
    assert on_time is not None
    assert not on_time.late


def test_moodle_zip_with_accents_nested_zip_and_several_notebooks(tmp_path: Path) -> None:
    export = _zip(
        tmp_path / "moodle.zip",
        {
            "María Núñez_101_assignsubmission_file_/b.ipynb": NB,
            "María Núñez_101_assignsubmission_file_/a.ipynb": NB,
            # Same display name, another student: the id keeps them apart.
            "María Núñez_102_assignsubmission_file_/Tarea final.ipynb": NB,
            "François Çelik_103_assignsubmission_file_/entrega.zip": _zip_bytes(
                {"entrega/notebook.ipynb": NB}
            ),
            "Nadie_104_assignsubmission_file_/readme.txt": "no notebook here",
            # Moodle's online-text plugin gives the same student a second folder.
            "María Núñez_102_assignsubmission_onlinetext_/onlinetext.html": "<p>hola</p>",
        },
    )
    subs = {s.id: s for s in discover(export, tmp_path / "unpacked")}
    assert sorted(subs) == [
        "François Çelik_103",
        "María Núñez_101",
        "María Núñez_102",
        "Nadie_104",
    ]
    first = subs["María Núñez_101"]
    assert (first.student_id, first.display_name) == ("101", "María Núñez")
    assert first.path.name == "a.ipynb"
    # Both notebooks are the hand-in: each runs, in name order.
    assert [p.name for p in first.files] == ["a.ipynb", "b.ipynb"]
    nested = subs["François Çelik_103"]
    assert nested.path.name == "notebook.ipynb"
    assert nested.problem is None
    assert subs["Nadie_104"].problem == "no notebook (.ipynb) or script (.py) was submitted"
    # The input zip is untouched; everything was unpacked under the unpack dir.
    assert (tmp_path / "unpacked") in first.path.parents


def test_canvas_zip_groups_by_user_and_marks_late(tmp_path: Path) -> None:
    export = _zip(
        tmp_path / "canvas.zip",
        {
            "perezana_late_11_901_tarea.ipynb": NB,
            "perezana_late_11_902_extra.py": "x = 1\n",
            "gomezluis_12_903_Tarea 3.ipynb": NB,
            "gomezluis_12_904_notas.txt": "",
            "ortizeva_13_905_proyecto.zip": _zip_bytes({"p/modelo.ipynb": NB}),
        },
    )
    subs = {s.student_id: s for s in discover(export, tmp_path / "unpacked")}
    assert set(subs) == {"11", "12", "13"}
    assert subs["11"].late
    assert subs["11"].path.name == "perezana_late_11_901_tarea.ipynb"
    assert subs["11"].files == ()  # one notebook; the script next to it is a helper
    assert subs["11"].note is not None
    assert "not run: extra.py" in subs["11"].note
    assert not subs["12"].late
    assert subs["12"].display_name == "gomezluis"
    assert subs["13"].path.name == "modelo.ipynb"
    assert subs["13"].root is not None


def test_folder_of_notebooks_plus_moodle_zip(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("ana", "beto"):
        (batch / f"{name}.ipynb").write_text(NB)
    _zip(batch / "moodle.zip", {"Íñigo Ruiz_7_assignsubmission_file_/x.ipynb": NB})
    subs = discover(batch, tmp_path / "unpacked")
    assert [s.id for s in subs] == ["ana", "beto", "Íñigo Ruiz_7"]
    # Unpacking is cached: a second discovery finds the same files.
    again = discover(batch, tmp_path / "unpacked")
    assert [s.path for s in again] == [s.path for s in subs]


def test_student_zip_is_unpacked_in_a_copy(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    (batch / "ana").mkdir(parents=True)
    _zip(batch / "ana" / "work.zip", {"work/nb.ipynb": NB})
    (sub,) = discover(batch, tmp_path / "unpacked")
    assert (sub.id, sub.display_name) == ("ana", "ana")
    assert sub.path.name == "nb.ipynb"
    assert sorted(p.name for p in (batch / "ana").iterdir()) == ["work.zip"]


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("traversal.zip", "escapes the archive"),
        ("absolute.zip", "absolute path"),
        ("symlink.zip", "symbolic link"),
        ("not_a_zip.zip", "not a readable zip"),
    ],
)
def test_unsafe_export_is_refused_naming_the_zip(tmp_path: Path, fixture: str, reason: str) -> None:
    with pytest.raises(ZipRefusedError) as err:
        discover(ZIPS / fixture, tmp_path / "unpacked")
    message = str(err.value)
    assert fixture in message
    assert reason in message
    assert "\n" not in message
    assert not (tmp_path / "evil.py").exists()


def test_caps_refuse_bombs_and_entry_floods(tmp_path: Path) -> None:
    with pytest.raises(ZipRefusedError, match=r"bomb\.zip: refused: \d+ bytes"):
        safe_extract(ZIPS / "bomb.zip", tmp_path / "a", max_bytes=1024 * 1024)
    with pytest.raises(ZipRefusedError, match=r"many_entries\.zip: refused: 300 entries"):
        safe_extract(ZIPS / "many_entries.zip", tmp_path / "b", max_entries=100)


def test_lying_sizes_are_caught_while_inflating(tmp_path: Path) -> None:
    archive = tmp_path / "liar.zip"
    _zip(archive, {"big.py": b"\0" * 100_000})
    data = bytearray(archive.read_bytes())
    # Patch the declared size in the central directory down to 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(ZipRefusedError, match=r"liar\.zip"):
        safe_extract(archive, tmp_path / "out", max_bytes=1000)


def test_refused_student_zip_becomes_that_students_problem(tmp_path: Path) -> None:
    export = _zip(
        tmp_path / "moodle.zip",
        {
            "Ana_1_assignsubmission_file_/a.ipynb": NB,
            "Luis_2_assignsubmission_file_/bad.zip": (ZIPS / "traversal.zip").read_bytes(),
        },
    )
    subs = {s.id: s for s in discover(export, tmp_path / "unpacked")}
    assert subs["Ana_1"].problem is None
    problem = subs["Luis_2"].problem
    assert problem is not None
    assert "bad.zip: refused: entry" in problem


def test_utf8_names_without_the_utf8_flag_are_decoded(tmp_path: Path) -> None:
    # Zips made on Windows store UTF-8 names without the flag; Python reads them as cp437.
    student = "José Ñandú".encode()
    placeholder = b"Q" * len(student)
    archive = tmp_path / "windows.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"{placeholder.decode()}_9_assignsubmission_file_/a.ipynb", NB)
    archive.write_bytes(archive.read_bytes().replace(placeholder, student))
    with zipfile.ZipFile(archive) as zf:
        assert not zf.infolist()[0].flag_bits & 0x800
        assert zf.namelist()[0].startswith("Jos├⌐")  # what Python makes of it
    (sub,) = discover(archive, tmp_path / "unpacked")
    assert (sub.student_id, sub.display_name) == ("9", "José Ñandú")
