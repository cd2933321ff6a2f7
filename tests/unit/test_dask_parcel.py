"""Submissions travel to Dask workers as data (batch/parcel.py), without kernels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from batch_fakes import IDENTITY, failed_report, make_batch, report_for

from autograder.batch import DaskExecutor, ResultStore, run_batch
from autograder.batch.parcel import (
    PARCEL_MAX_FILES,
    Parcel,
    grade_parcel,
    pack,
    received,
    unpack,
)
from autograder.errors import ParcelTooBigError, SubmissionError
from autograder.results import GradeReport
from autograder.submissions import Submission


def _graded_elsewhere(sub: Submission, tmp_path: Path) -> tuple[Submission, GradeReport]:
    """Pack, delete the client's files, unpack on the 'worker', grade there."""
    parcel = pack(sub)
    shutil.rmtree(sub.root or sub.path.parent)
    seen: list[Submission] = []

    def grade(local: Submission) -> GradeReport:
        seen.append(local)
        return report_for(local)

    report = received(sub, grade_parcel(grade, parcel))
    return seen[0], report


def test_a_file_travels_as_bytes_and_the_report_names_the_clients_path(tmp_path: Path) -> None:
    path = tmp_path / "entregas" / "ana.ipynb"
    path.parent.mkdir()
    path.write_text('{"cells": []}', encoding="utf-8")
    sub = Submission(id="ana", path=path, display_name="Ana")
    digest = sub.sha256
    local, report = _graded_elsewhere(sub, tmp_path)
    assert not path.exists()  # graded from the parcel alone
    assert local.path.name == "ana.ipynb"
    assert local.path.parent.name == "entregas"
    assert report.submission.path == str(path)
    assert report.submission.sha256 == digest
    assert local.display_name == "Ana"
    assert not local.path.exists()  # the worker's copy went with the task


def test_several_files_keep_their_names_and_order(tmp_path: Path) -> None:
    folder = tmp_path / "luis"
    folder.mkdir()
    files = tuple(folder / name for name in ("parte1.ipynb", "parte2.ipynb"))
    for i, path in enumerate(files):
        path.write_text(f'{{"cells": [], "n": {i}}}', encoding="utf-8")
    sub = Submission(id="luis", path=files[0], files=files)
    digest = sub.sha256
    local, report = _graded_elsewhere(sub, tmp_path)
    assert [p.name for p in local.files] == ["parte1.ipynb", "parte2.ipynb"]
    assert local.path == local.files[0]
    assert report.submission.sha256 == digest


def test_a_folder_travels_whole_without_links_or_checkpoints(tmp_path: Path) -> None:
    root = tmp_path / "maria"
    (root / "datos").mkdir(parents=True)
    (root / ".ipynb_checkpoints").mkdir()
    (root / "tarea.ipynb").write_text('{"cells": []}', encoding="utf-8")
    (root / "datos" / "precios.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (root / ".ipynb_checkpoints" / "tarea-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("the grader's", encoding="utf-8")
    (root / "enlace.txt").symlink_to(secret)
    sub = Submission(id="maria", path=root / "tarea.ipynb", root=root)
    parcel = pack(sub)
    names = sorted(name for name, _ in parcel.files)
    assert names == ["maria/datos/precios.csv", "maria/tarea.ipynb"]
    local = unpack(parcel, tmp_path / "worker")
    assert local.root == tmp_path / "worker" / "maria"
    assert (local.root / "datos" / "precios.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_a_submission_past_the_limit_is_refused(tmp_path: Path) -> None:
    (sub,) = make_batch(tmp_path / "subs", 1)
    sub.path.write_bytes(b"x" * 2048)
    with pytest.raises(ParcelTooBigError, match=r"s00: the submission weighs more than"):
        pack(sub, limit=1024)
    assert len(pack(sub, limit=2048).files[0][1]) == 2048


def test_a_name_outside_the_parcel_is_refused(tmp_path: Path) -> None:
    (sub,) = make_batch(tmp_path / "subs", 1)
    for name in ("../fuera.py", "/etc/x.py", "a/../../b.py"):
        parcel = Parcel(submission=sub, files=((name, b"x = 1\n"),), path=name)
        with pytest.raises(SubmissionError, match="outside its folder"):
            unpack(parcel, tmp_path / "worker")
    assert not (tmp_path / "fuera.py").exists()


def test_dask_tasks_never_see_the_clients_paths(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    subs = make_batch(tmp_path / "subs", 3)
    subs[2].path.write_bytes(b"x" * 4096)  # past the limit: invalid, not stored
    client_folder = str(tmp_path / "subs")

    def grade(sub: Submission) -> GradeReport:
        if sub.path.is_relative_to(client_folder) or not sub.path.exists():
            raise AssertionError(f"graded from {sub.path}")
        return report_for(sub)

    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
        ResultStore(tmp_path / "results.sqlite") as store,
    ):
        outcome = run_batch(
            subs,
            grade=grade,
            failed=_invalid_or_error,
            identity=IDENTITY,
            store=store,
            executor=DaskExecutor(client, parcel_limit=1024),
        )
        assert store.count() == 2
    assert [r.status for r in outcome.reports] == ["graded", "graded", "invalid"]
    assert [r.submission.path for r in outcome.reports] == [str(s.path) for s in subs]
    assert "weighs more than" in (outcome.reports[2].message or "")


def _invalid_or_error(sub: Submission, message: str) -> GradeReport:
    report = failed_report(sub, message)
    return report.model_copy(update={"status": "invalid" if sub.problem else "error"})


def test_a_folder_of_too_many_files_is_refused_without_reading_them(tmp_path: Path) -> None:
    root = tmp_path / "pablo"
    root.mkdir()
    (root / "tarea.ipynb").write_text('{"cells": []}', encoding="utf-8")
    for i in range(PARCEL_MAX_FILES):
        (root / f"f{i:05d}.txt").touch()
    sub = Submission(id="pablo", path=root / "tarea.ipynb", root=root)
    with pytest.raises(ParcelTooBigError, match=r"pablo: the folder holds more than 10000 files"):
        pack(sub)
    (root / "f00000.txt").unlink()
    assert len(pack(sub).files) == PARCEL_MAX_FILES
