"""GPUs without a GPU: a fake probe decides what the machine has (CI never has one)."""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pipeline_fakes import FakeKernel, FakeMeasurer, graded_model

from autograder.cli import main
from autograder.datasets.base import DataOptions
from autograder.errors import GpuError, UsageError
from autograder.execution import sandbox
from autograder.execution.gpus import (
    Gpu,
    GpuPool,
    GpuProbe,
    cpu_only_env,
    default_kernels,
    device_nodes,
    kernel_gpu_env,
    parse_gpus,
    parse_proc_gpus,
    parse_smi_csv,
    resolve_gpus,
    visible,
)
from autograder.execution.limits import Limits
from autograder.execution.runner import ExecutionRecord, JobPaths, RunOptions, _kernel_env
from autograder.execution.sandbox import Mounts
from autograder.execution.source import SubmissionSource
from autograder.grading.grader import Backends, build_grader
from autograder.grading.options import GradeOptions
from autograder.reference.cache import device_kind
from autograder.rubric import load_rubric
from autograder.submissions import discover

if TYPE_CHECKING:
    from conftest import Build

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubrics" / "fashion-mnist.yaml"
NB = (
    '{"cells": [{"cell_type": "code", "id": "c1", "execution_count": null, "metadata": {}, '
    '"outputs": [], "source": "x = 1"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)
H200 = Gpu(index=0, name="NVIDIA H200", uuid="GPU-aaaa", memory_mb=143771, minor=0)
A100 = Gpu(index=1, name="NVIDIA A100-SXM4-40GB", uuid="GPU-bbbb", memory_mb=40960, minor=3)


def _probe(*gpus: Gpu) -> GpuProbe:
    def probe() -> tuple[Gpu, ...]:
        return gpus

    return probe


def _never() -> tuple[Gpu, ...]:
    raise AssertionError("--gpus none must not probe the machine")


# --- --gpus ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "choice"),
    [("auto", "auto"), ("NONE", "none"), ("0", (0,)), (" 1, 0 ", (1, 0)), ("2,2,0", (2, 0))],
)
def test_gpus_values_parse(value: str, choice: object) -> None:
    assert parse_gpus(value) == choice


@pytest.mark.parametrize("value", ["", "all", "gpu0", "-1", "0,,1", "0;1", "1.5"])
def test_a_bad_gpus_value_is_a_usage_error_with_its_catalog_key(value: str) -> None:
    with pytest.raises(GpuError) as raised:
        parse_gpus(value)
    assert isinstance(raised.value, UsageError)
    assert raised.value.message_id == "gpus.bad_value"
    assert repr(value) in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("found", [(), (H200,), (H200, A100)])
def test_auto_takes_every_gpu_found(found: tuple[Gpu, ...]) -> None:
    assert resolve_gpus("auto", _probe(*found)) == found


def test_none_never_probes() -> None:
    assert resolve_gpus("none", _never) == ()


def test_an_explicit_list_keeps_its_order_and_refuses_a_gpu_not_found() -> None:
    assert resolve_gpus((1,), _probe(H200, A100)) == (A100,)
    assert resolve_gpus((1, 0), _probe(H200, A100)) == (A100, H200)
    with pytest.raises(GpuError, match="GPU 2, but the GPUs found here are: 0, 1"):
        resolve_gpus((0, 2), _probe(H200, A100))
    with pytest.raises(GpuError, match="GPU 0, but the GPUs found here are: -"):
        resolve_gpus((0,), _probe())


def test_one_kernel_per_gpu_unless_jobs_says_otherwise() -> None:
    assert default_kernels(4, ()) == 4  # no GPU: the CPU rule
    assert default_kernels(16, (H200,)) == 1
    assert default_kernels(16, (H200, A100)) == 2
    assert default_kernels(1, (H200, A100)) == 1  # never more than the machine takes


def test_the_pool_gives_concurrent_kernels_different_gpus_then_shares_the_least_busy() -> None:
    pool = GpuPool((H200, A100))
    with pool.lease() as first, pool.lease() as second:
        assert {first, second} == {H200, A100}
        with pool.lease() as third:
            assert third is H200  # both busy once: the first listed
    with pool.lease() as again:
        assert again is H200  # leases are given back
    with GpuPool().lease() as none:
        assert none is None


# --- what a kernel gets -------------------------------------------------------------------


def test_a_kernel_with_a_gpu_sees_only_it_by_uuid_with_memory_growth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The grader's own setting must not leak through: the lease decides.
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1")
    env = _kernel_env(RunOptions(cell_timeout_s=1, total_timeout_s=1, gpu=A100))
    assert env["CUDA_VISIBLE_DEVICES"] == "GPU-bbbb"
    assert env["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"
    assert env["CUDA_DEVICE_ORDER"] == "PCI_BUS_ID"
    no_uuid = Gpu(index=1, name="x")
    assert kernel_gpu_env(no_uuid)["CUDA_VISIBLE_DEVICES"] == "1"


def test_a_kernel_without_a_gpu_is_hidden_from_every_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    env = _kernel_env(RunOptions(cell_timeout_s=1, total_timeout_s=1))
    assert env["CUDA_VISIBLE_DEVICES"] == "-1"


def test_a_reference_trained_with_gpus_none_is_cached_as_a_cpu_run() -> None:
    assert device_kind("none").startswith("cpu-")


def test_the_evaluator_never_sees_a_gpu() -> None:
    env = cpu_only_env({"PATH": "/usr/bin", "CUDA_VISIBLE_DEVICES": "0"})
    assert env == {"PATH": "/usr/bin", "CUDA_VISIBLE_DEVICES": "-1"}


def _dev(tmp_path: Path, *names: str) -> Path:
    dev = tmp_path / "dev"
    dev.mkdir()
    for name in names:
        (dev / name).touch()
    return dev


def test_device_nodes_are_the_gpus_own_and_the_shared_ones_that_exist(tmp_path: Path) -> None:
    dev = _dev(tmp_path, "nvidia0", "nvidia3", "nvidiactl", "nvidia-uvm")
    assert device_nodes(A100, dev) == [dev / "nvidia3", dev / "nvidiactl", dev / "nvidia-uvm"]
    assert device_nodes(Gpu(index=0, name="x"), dev)[0] == dev / "nvidia0"  # minor unknown
    assert device_nodes(None, dev) == []


def _argv(tmp_path: Path, devices: list[Path]) -> list[str]:
    work = tmp_path / "work"
    mounts = Mounts(writable=[work], readonly=[], workdir=work, devices=devices)
    box = sandbox.Sandbox(limits=Limits(), mounts=mounts, bwrap="/usr/bin/bwrap")
    return box.wrap(["python", "-m", "ipykernel_launcher"])


def test_bubblewrap_binds_gpu_nodes_only_when_a_gpu_is_assigned(tmp_path: Path) -> None:
    dev = _dev(tmp_path, "nvidia3", "nvidiactl")
    with_gpu = _argv(tmp_path, device_nodes(A100, dev))
    binds = [with_gpu[i + 1 : i + 3] for i, a in enumerate(with_gpu) if a == "--dev-bind"]
    assert binds == [[str(dev / "nvidia3")] * 2, [str(dev / "nvidiactl")] * 2]
    # After the minimal /dev, or that mount would hide them.
    assert with_gpu.index("--dev-bind") > with_gpu.index("--dev")
    assert "--dev-bind" not in _argv(tmp_path, device_nodes(None, dev))


# --- reading the machine -------------------------------------------------------------------

SMI = """0, GPU-aaaa, NVIDIA H200, 143771, 00000000:17:00.0
1, GPU-bbbb, NVIDIA A100-SXM4-40GB, 40960, 00000000:3A:00.0
garbage line
2, GPU-cccc, Evil\x1b[31m GPU <b>, not a number, 00000000:3B:00.0
"""


def test_nvidia_smi_csv_is_parsed_and_names_are_sanitised() -> None:
    gpus = parse_smi_csv(SMI)
    assert [(g.index, g.uuid, g.memory_mb) for g in gpus] == [
        (0, "GPU-aaaa", 143771),
        (1, "GPU-bbbb", 40960),
        (2, "GPU-cccc", None),
    ]
    assert gpus[0].label == "gpu:0 (NVIDIA H200)"
    assert gpus[2].name == "Evil31m GPU b"


def test_proc_driver_files_are_read_in_pci_order(tmp_path: Path) -> None:
    for bus, model, minor in (("0000:3a:00.0", "NVIDIA A100", 3), ("0000:17:00.0", "H200", 0)):
        (tmp_path / bus).mkdir()
        info = f"Model: \t\t {model}\nGPU UUID: \t GPU-{minor}\nDevice Minor: \t {minor}\n"
        (tmp_path / bus / "information").write_text(info)
    gpus = parse_proc_gpus(tmp_path)
    assert [(g.index, g.name, g.uuid, g.minor) for g in gpus] == [
        (0, "H200", "GPU-0", 0),
        (1, "NVIDIA A100", "GPU-3", 3),
    ]
    assert parse_proc_gpus(tmp_path / "absent") == ()


@pytest.mark.parametrize(
    ("setting", "kept"),
    [(None, [0, 1]), ("1", [1]), ("GPU-bbbb,0", [1, 0]), ("0,7,1", [0]), ("-1", []), ("", [])],
)
def test_the_graders_own_cuda_visible_devices_narrows_auto(
    setting: str | None, kept: list[int]
) -> None:
    assert [g.index for g in visible((H200, A100), setting)] == kept


# --- through the pipeline ---------------------------------------------------------------------


def test_the_result_records_the_gpu_the_grader_assigned(
    tmp_path: Path, build: Build, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rubric = load_rubric(RUBRIC)
    (tmp_path / "ana.ipynb").write_text(NB)
    [sub] = discover(tmp_path)
    kernel = FakeKernel()
    devices = []
    for choice, gpus in (("auto", (A100,)), ("none", (A100,)), ("auto", ())):
        options = GradeOptions(data=DataOptions(source="synthetic", fraction=0.01), gpus=choice)
        grader = build_grader(
            rubric,
            options,
            measurer=FakeMeasurer(build.model()),
            data_dir=tmp_path_factory.mktemp("data"),
            runner=kernel,
            gpus=_probe(*gpus),
        )
        report = grader.grade(sub)
        assert report.execution is not None
        devices.append(report.execution.device)
    assert devices == ["gpu:1 (NVIDIA A100-SXM4-40GB)", "cpu", "cpu"]
    assert [o.gpu for o in kernel.options] == [A100, None, None]


@dataclass
class PairedKernel(FakeKernel):
    """Waits until two students' kernels run at once, so both hold their lease together."""

    barrier: threading.Barrier = field(default_factory=lambda: threading.Barrier(2, timeout=60))

    def __call__(
        self, source: SubmissionSource, job: JobPaths, options: RunOptions
    ) -> ExecutionRecord:
        if source.path.name != "reference.ipynb":
            self.barrier.wait()
        return super().__call__(source, job, options)


def _grade(tmp_path: Path, backends: Backends, *extra: str) -> int:
    batch = tmp_path / "batch"
    batch.mkdir(exist_ok=True)
    for name in ("ana", "beto", "carla", "dani"):
        (batch / f"{name}.ipynb").write_text(NB)
    return main(
        [
            "grade", str(batch), "--rubric", str(RUBRIC), "--data", "synthetic",
            "--fraction", "0.01", "--out", str(tmp_path / "out"), *extra,
        ],
        backends=backends,
    )  # fmt: skip


def test_grade_gives_concurrent_kernels_their_own_gpu(tmp_path: Path, build: Build) -> None:
    tutorial = graded_model(build.model(test=0.8, train=0.82), [build.fit(10)])
    assert isinstance(tutorial.runner, FakeKernel)
    kernel = PairedKernel(tutorial.runner.artifacts)
    backends = dataclasses.replace(tutorial, runner=kernel, gpus=_probe(H200, A100))
    assert _grade(tmp_path, backends, "--jobs", "2", "--gpus", "auto") == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    devices = sorted(s["execution"]["device"] for s in summary["submissions"])
    assert devices == [H200.label, H200.label, A100.label, A100.label]


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI words GpuError in the reader's locale; these tests read English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gpus", "todas"], "--gpus takes auto, none or GPU indices"),
        (["--gpus", "1"], "--gpus asks for GPU 1, but the GPUs found here are: 0"),
    ],
)
def test_bad_gpus_is_one_line_exit_2(
    tmp_path: Path,
    build: Build,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    kernel = FakeKernel()
    backends = Backends(runner=kernel, measurer=FakeMeasurer(build.model()), gpus=_probe(H200))
    assert _grade(tmp_path, backends, *args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert message in err
    assert [name for name in kernel.ran if name != "reference.ipynb"] == []


def test_check_takes_gpus_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notebook = tmp_path / "mine.ipynb"
    notebook.write_text(NB)
    code = main(["check", str(notebook), "--rubric", str(RUBRIC), "--gpus", "0-1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--gpus" in err
    assert "'0-1'" in err


def test_check_trains_on_the_gpu_it_names(tmp_path: Path, build: Build) -> None:
    notebook = tmp_path / "mine.ipynb"
    notebook.write_text(NB)
    tutorial = graded_model(build.model(test=0.8, train=0.82), [build.fit(10)])
    assert isinstance(tutorial.runner, FakeKernel)
    backends = dataclasses.replace(tutorial, gpus=_probe(H200, A100))
    argv = ["check", str(notebook), "--rubric", str(RUBRIC), "--quick", "--gpus", "1"]
    main(argv, backends=backends)
    assert [o.gpu for o in tutorial.runner.options] == [A100]
