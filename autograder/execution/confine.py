"""A launcher that confines itself, then becomes the kernel: ``confine CONFIG -- ARGV``.

jupyter_client starts the kernelspec's argv with ``Popen``; this module is the first
word of that argv.  Before ``exec`` it joins the job's cgroups and sets resource
limits, so the limits hold from the first instruction of the sandbox and of the
kernel, and everything they start inherits them.  Standard library only: it runs
for every kernel start.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys

_RLIMITS = {
    "DATA": resource.RLIMIT_DATA,
    "FSIZE": resource.RLIMIT_FSIZE,
    "NPROC": resource.RLIMIT_NPROC,
    "CORE": resource.RLIMIT_CORE,
}


def confine(config: dict[str, object]) -> None:
    """Join cgroups and set rlimits as ``config`` says (see :mod:`sandbox`)."""
    for procs in config.get("cgroup_procs", []):  # type: ignore[attr-defined]
        with open(str(procs), "w", encoding="ascii") as fh:
            fh.write(str(os.getpid()))
    limits: dict[str, int] = dict(config.get("rlimits", {}))  # type: ignore[call-overload]
    for name, wanted in limits.items():
        # Never above the limit we were started under: raising it needs privileges a
        # container may lack, and a tighter outer cap (a test's) should simply hold.
        _, hard = resource.getrlimit(_RLIMITS[name])
        value = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(_RLIMITS[name], (value, value))
    # Past RLIMIT_FSIZE a write fails with EFBIG instead of killing the kernel with
    # SIGXFSZ; an ignored disposition survives exec.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        sys.stderr.write("usage: confine CONFIG_JSON -- COMMAND...\n")
        return 2
    confine(json.loads(argv[0]))
    command = argv[2:]
    os.execvp(command[0], command)  # noqa: S606  # an argv list: no shell to inject into
    return 127  # unreachable: execvp either replaces us or raises


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
