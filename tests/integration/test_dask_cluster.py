"""Grading on a real Dask cluster with no shared file system, losing a worker mid-batch.

A `dask scheduler` and two `dask worker` processes (one thread each), every worker
in its own empty folder and told only the scheduler's address: the submissions'
folder is never named to them, so they grade what each task carries.  One worker is
SIGKILLed (with its kernel and evaluators, as a machine that dies) once the first
result arrives; the scheduler re-runs its task elsewhere.  The 8 results must equal a
local run's, none lost, none twice.

Cost: the toy-dense exercise (a 400-sample declared dataset, seconds of training) as
8 notebooks from its 3 example scripts, on the cluster, and the 3 distinct notebooks
once locally: equal files grade equally (the determinism property), so a local run of
the duplicates would add time, not evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from autograder.batch import STORE_FILE, ResultStore
from autograder.batch.request import BatchRequest, grade_batch
from autograder.datasets.base import DataOptions
from autograder.grading.options import GradeOptions
from autograder.results import GradeReport
from autograder.rubric import load_rubric
from tests.dask_procs import DASK, ProcessCluster, kill_tree, start

pytestmark = pytest.mark.kernel

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "submissions" / "toy-dense"
# Absolute thresholds: its reference is never trained here.
RUBRIC = ROOT / "rubrics" / "toy-dense.yaml"
# Students per example (named as an LMS export names them), and the example's score.
STUDENTS = {
    "correct": (("ana_garcia", "jose_perez", "maria_nunez"), 8),
    "no_extension": (("luis_ortega", "carmen_ruiz", "pablo_diaz"), 4),
    "sigmoid16": (("lucia_romero", "diego_navarro"), 5),
}
OPTIONS = GradeOptions(data=DataOptions(source="synthetic", fraction=1.0))


def _notebook(script: Path, target: Path) -> None:
    """The script as a Colab student hands it in: a cell per commented block."""
    blocks = re.split(r"\n\n(?=# )", script.read_text(encoding="utf-8").strip())
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(block) for block in blocks]
    nb.metadata["colab"] = {"provenance": []}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, target)


@pytest.fixture
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessCluster]:
    pytest.importorskip("distributed")
    if not DASK.exists():
        pytest.skip(f"no dask CLI at {DASK}")
    started = start(tmp_path_factory.mktemp("cluster"), workers=2)
    try:
        yield started
    finally:
        started.close()  # every process, whatever the test did


class KillOnFirstResult:
    """Progress that SIGKILLs a worker when the first result arrives."""

    def __init__(self, cluster: ProcessCluster) -> None:
        self.cluster = cluster
        self.arrived = 0
        self.at_kill = -1
        self.lost: list[str] = []
        """The tasks the worker held (running or next) when it died."""

    def start(self, total: int, skipped: int) -> None:
        pass

    def done(self, report: GradeReport) -> None:
        self.arrived += 1
        if self.arrived == 1:
            # Both workers hold a task now (six more are waiting), so one is lost.
            self.lost = self.cluster.processing("worker0")
            kill_tree(self.cluster.workers[0])
            self.at_kill = self.arrived


def _verdict(report: GradeReport) -> tuple[object, ...]:
    """What must not depend on where a submission was graded."""
    checks = tuple((c.id, c.status, pytest.approx(c.points)) for c in report.checks)
    metrics = report.metrics.model_dump()
    return (
        report.status,
        pytest.approx(report.score),
        report.max_score,
        checks,
        {k: pytest.approx(v, abs=1e-6) if isinstance(v, float) else v for k, v in metrics.items()},
        report.submission.sha256,
    )


def test_a_lost_worker_loses_no_result_and_duplicates_none(
    cluster: ProcessCluster, tmp_path: Path
) -> None:
    rubric = load_rubric(RUBRIC)
    batch, distinct = tmp_path / "entregas", tmp_path / "distintas"
    batch.mkdir()
    distinct.mkdir()
    for example, (names, _) in STUDENTS.items():
        _notebook(EXAMPLES / f"{example}.py", distinct / f"{example}.ipynb")
        for name in names:
            (batch / f"{name}.ipynb").write_bytes((distinct / f"{example}.ipynb").read_bytes())

    progress = KillOnFirstResult(cluster)
    remote = grade_batch(
        BatchRequest(
            paths=[batch],
            rubric=rubric,
            out=tmp_path / "out-dask",
            options=OPTIONS,
            jobs=2,
            executor="dask",
            scheduler=cluster.address,
        ),
        progress,
    )
    assert progress.at_kill == 1
    assert progress.lost  # the scheduler had to run those again on worker1
    assert cluster.workers[0].poll() is not None  # it really died mid-batch

    local = grade_batch(
        BatchRequest(
            paths=[distinct], rubric=rubric, out=tmp_path / "out-local", options=OPTIONS, jobs=2
        )
    )
    by_example = {r.submission.id: r for r in local.reports}
    # The local verdicts are the rubric's own examples: the comparison is not vacuous.
    assert {e: r.score for e, r in by_example.items()} == {
        e: pytest.approx(score) for e, (_, score) in STUDENTS.items()
    }

    ids = [r.submission.id for r in remote.reports]
    assert sorted(ids) == sorted(n for names, _ in STUDENTS.values() for n in names)
    assert progress.arrived == 8  # one result per submission, none twice
    with ResultStore(tmp_path / "out-dask" / STORE_FILE) as store:
        assert store.count() == 8
    for example, (names, _) in STUDENTS.items():
        for name in names:
            report = next(r for r in remote.reports if r.submission.id == name)
            # The report names the client's file, not the worker's temporary copy.
            assert report.submission.path == str(batch / f"{name}.ipynb")
            assert _verdict(report) == _verdict(by_example[example]), name
