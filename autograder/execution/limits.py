"""The limits one kernel (and the evaluator) runs under: plain, validated settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MIB = 1024 * 1024


class Limits(BaseModel):
    """Resource limits for untrusted code; each is enforced by the strongest layer available."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sandbox: bool = Field(
        default=True,
        description="Run the kernel under bubblewrap (no network, read-only system) when usable.",
    )
    memory_mb: int = Field(
        default=4096, ge=256, description="Memory cap of the kernel and everything it starts."
    )
    pids: int = Field(
        default=1024,
        ge=64,
        description="Processes + threads cap; TensorFlow alone starts dozens of threads.",
    )
    file_size_mb: int = Field(
        default=1024, ge=1, description="Largest single file the kernel may write (RLIMIT_FSIZE)."
    )
    disk_mb: int = Field(
        default=2048, ge=1, description="Budget for everything written into the job directory."
    )
    tmp_mb: int = Field(default=256, ge=1, description="Size of the private tmpfs on /tmp.")
    shm_mb: int = Field(default=64, ge=1, description="Size of the private tmpfs on /dev/shm.")
    cell_output_kb: int = Field(
        default=1024, ge=1, description="Output bytes kept per cell; the rest is dropped."
    )
    notebook_output_kb: int = Field(
        default=8192, ge=1, description="Output bytes kept for the whole notebook."
    )
    log_kb: int = Field(default=1024, ge=1, description="Kernel stdout/stderr kept in kernel.log.")
    evaluation_timeout_s: float = Field(
        default=600.0, gt=0, description="Seconds the evaluator may spend on one model."
    )
    evaluation_memory_mb: int = Field(
        default=8192, ge=512, description="Memory (data segment) cap of the evaluator process."
    )
