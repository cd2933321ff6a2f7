"""Batch grading without kernels: store reuse, failures, hangs, kill -9, Dask."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from batch_fakes import IDENTITY, RecordingGrade, failed_report, make_batch, report_for

from autograder.batch import DaskExecutor, Executor, LocalExecutor, ResultStore, run_batch
from autograder.batch.runner import default_jobs, threads_per_kernel
from autograder.errors import StoreError
from autograder.results import GradeReport
from autograder.submissions import Submission


def _run(
    subs: list[Submission],
    store: ResultStore,
    grade: Callable[[Submission], GradeReport],
    executor: Executor | None = None,
    **kw: object,
) -> list[GradeReport]:
    outcome = run_batch(
        subs,
        grade=grade,
        failed=failed_report,
        identity=IDENTITY,
        store=store,
        executor=executor or LocalExecutor(jobs=2),
        **kw,  # type: ignore[arg-type]  # force/progress only
    )
    return outcome.reports


def test_rerun_reuses_unchanged_and_force_regrades(tmp_path: Path) -> None:
    subs = make_batch(tmp_path / "subs", 4)
    grade = RecordingGrade(tmp_path / "log")
    with ResultStore(tmp_path / "results.sqlite") as store:
        first = _run(subs, store, grade)
        assert sorted(grade.graded()) == ["s00", "s01", "s02", "s03"]
        assert [r.submission.id for r in first] == ["s00", "s01", "s02", "s03"]
        second = _run(subs, store, grade)
        assert len(grade.graded()) == 4
        assert second == first
        subs[1].path.write_text("x = 'changed'\n")
        _run(subs, store, grade)
        assert grade.graded()[-1] == "s01"
        _run(subs, store, grade, force=True)
        assert len(grade.graded()) == 9
        assert store.count() == 5  # 4 submissions + the old version of s01


def test_results_carry_the_student_identity(tmp_path: Path) -> None:
    (sub,) = make_batch(tmp_path / "subs", 1)
    sub = replace(sub, student_id="12345", display_name="María Peña", late=True)
    with ResultStore(tmp_path / "results.sqlite") as store:
        (report,) = _run([sub], store, RecordingGrade(tmp_path / "log"))
    assert report.submission.student_id == "12345"
    assert report.submission.display_name == "María Peña"
    assert report.submission.late


def test_a_failing_submission_does_not_stop_the_others(tmp_path: Path) -> None:
    subs = make_batch(tmp_path / "subs", 3)
    good = RecordingGrade(tmp_path / "log")

    def grade(sub: Submission) -> GradeReport:
        if sub.id == "s01":
            raise RuntimeError("grader bug\nsecond line")
        return good(sub)

    with ResultStore(tmp_path / "results.sqlite") as store:
        reports = _run(subs, store, grade, LocalExecutor(jobs=1))
        assert [r.status for r in reports] == ["graded", "error", "graded"]
        assert reports[1].message == "RuntimeError: grader bug"
        # The failure is not stored: the next run tries that submission again.
        assert store.count() == 2


def test_a_hanging_submission_is_given_up_after_the_deadline(tmp_path: Path) -> None:
    subs = make_batch(tmp_path / "subs", 3)
    release = threading.Event()
    good = RecordingGrade(tmp_path / "log")

    def grade(sub: Submission) -> GradeReport:
        if sub.id == "s00":
            release.wait(30)
        return good(sub)

    with ResultStore(tmp_path / "results.sqlite") as store:
        start = time.monotonic()
        reports = _run(subs, store, grade, LocalExecutor(jobs=1, deadline_s=0.5))
        elapsed = time.monotonic() - start
    release.set()
    assert elapsed < 10
    assert reports[0].status == "error"
    assert reports[0].message is not None
    assert "did not finish within 0.5 s" in reports[0].message
    assert [r.status for r in reports[1:]] == ["graded", "graded"]


def test_a_submission_problem_is_an_invalid_result_without_grading(tmp_path: Path) -> None:
    (sub,) = make_batch(tmp_path / "subs", 1)
    sub = replace(sub, problem="work.zip: refused: entry '../x' escapes the archive (..)")
    grade = RecordingGrade(tmp_path / "log")
    with ResultStore(tmp_path / "results.sqlite") as store:
        (report,) = _run([sub], store, grade)
    assert grade.graded() == []
    assert report.message == sub.problem


def test_progress_hears_about_every_result(tmp_path: Path) -> None:
    subs = make_batch(tmp_path / "subs", 3)
    seen: list[str] = []

    class Recorder:
        def start(self, total: int, reused: int) -> None:
            seen.append(f"start {total} {reused}")

        def done(self, report: GradeReport) -> None:
            seen.append(report.submission.id)

    with ResultStore(tmp_path / "results.sqlite") as store:
        _run(subs[:1], store, RecordingGrade(tmp_path / "log"))
        _run(subs, store, RecordingGrade(tmp_path / "log"), progress=Recorder())
    assert seen[0] == "start 3 1"
    assert sorted(seen[1:]) == ["s01", "s02"]


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {helpers!r})
    from batch_fakes import IDENTITY, RecordingGrade, failed_report, make_batch
    from autograder.batch import LocalExecutor, ResultStore, run_batch
    tmp = Path({tmp!r})
    subs = make_batch(tmp / "subs", 8)
    with ResultStore(tmp / "results.sqlite") as store:
        run_batch(subs, grade=RecordingGrade(tmp / "log", delay_s={delay}),
                  failed=failed_report, identity=IDENTITY, store=store,
                  executor=LocalExecutor(jobs=2))
    """
)


def test_kill_9_half_way_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    helpers = str(Path(__file__).parent)
    script = CHILD.format(helpers=helpers, tmp=str(tmp_path), delay=0.3)
    child = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    grade = RecordingGrade(tmp_path / "log")
    deadline = time.monotonic() + 60
    while len(grade.graded()) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    first = grade.graded()
    assert 3 <= len(first) < 8, "the child must be killed half-way"
    subs = make_batch(tmp_path / "subs", 8)
    with ResultStore(tmp_path / "results.sqlite") as store:
        stored_before = store.count()
        reports = _run(subs, store, grade)
        assert store.count() == 8
    again = grade.graded()[len(first) :]
    # Everything stored before the kill is reused; at most the submissions that were
    # in flight when it died (graded but not yet stored) are graded twice.
    assert stored_before >= len(first) - 2
    assert len(again) == 8 - stored_before
    assert [r.submission.id for r in reports] == [s.id for s in subs]


def test_dask_executor_on_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    subs = make_batch(tmp_path / "subs", 3)
    grade = RecordingGrade(tmp_path / "log")

    def grade_or_fail(sub: Submission) -> GradeReport:
        if sub.id == "s02":
            raise ValueError("worker-side failure")
        return grade(sub)

    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
        ResultStore(tmp_path / "results.sqlite") as store,
    ):
        reports = _run(subs, store, grade_or_fail, DaskExecutor(client))
        assert store.count() == 2
    assert [r.status for r in reports] == ["graded", "graded", "error"]
    assert reports[2].message == "ValueError: worker-side failure"
    assert sorted(grade.graded()) == ["s00", "s01"]


def test_default_jobs_and_threads_fit_the_machine() -> None:
    jobs = default_jobs()
    assert 1 <= jobs <= (os.cpu_count() or 1)
    assert threads_per_kernel(jobs) >= 1
    assert threads_per_kernel(10_000) == 1


def test_report_for_is_valid() -> None:
    # Guards the fakes themselves: a broken builder would make the tests above vacuous.
    sub = Submission(id="a", path=Path(__file__))
    assert report_for(sub).score == 1.0


def test_a_file_that_is_not_a_store_is_a_one_line_error(tmp_path: Path) -> None:
    fixture = Path(__file__).parent.parent / "fixtures" / "store" / "not_sqlite.sqlite"
    path = tmp_path / "results.sqlite"
    path.write_bytes(fixture.read_bytes())
    with pytest.raises(StoreError, match=r"results\.sqlite: cannot open the results store"):
        ResultStore(path)
