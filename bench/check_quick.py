"""What ``autograder check --quick`` adds to a bare quick run of the notebook (target:
under 5 s, issue 15).

Runs, interleaved ``--repeat`` times, (a) the command as a student would (a fresh
process each time) and (b) the same notebook's code cells as one ``python`` script
doing the same work: the Fashion-MNIST rows quick mode keeps (``QUICK_FRACTION``,
from a fake Keras cache, bench/_common.py) and at most ``QUICK_EPOCHS`` epochs per
``fit``, capped by a prelude as the kernel's ``fit`` wrapper caps them.  A fresh
``import tensorflow`` is timed too: the floor both pay.  Prints the medians and
check - bare::

    uv run python bench/check_quick.py
    uv run python bench/check_quick.py --repeat 5 submissions/fashion-mnist/logits.ipynb

The load average is printed too: on a shared machine the absolute seconds mean
little without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from autograder.selfcheck import QUICK_EPOCHS, QUICK_FRACTION
from bench._common import keras_home, script_of, timed, tool_env

ROOT = Path(__file__).resolve().parents[1]

# What the kernel's fit wrapper does in quick mode (kernel/bootstrap.py _cap_epochs),
# for a bare script: epochs capped, counted from initial_epoch.
PRELUDE = f"""\
import keras as _keras

_fit = _keras.Model.fit


def _quick_fit(self, *args, **kwargs):
    cap = kwargs.get("initial_epoch", 0) + {QUICK_EPOCHS}
    kwargs["epochs"] = min(kwargs.get("epochs", 1), cap)
    return _fit(self, *args, **kwargs)


_keras.Model.fit = _quick_fit
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        default=[
            ROOT / "submissions/fashion-mnist/correct.ipynb",
            ROOT / "submissions/fashion-mnist/dense500x3.ipynb",
        ],
    )
    parser.add_argument("--rubric", type=Path, default=ROOT / "rubrics/fashion-mnist.yaml")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    floor = [timed([sys.executable, "-c", "import tensorflow"]) for _ in range(args.repeat)]
    print(f"fresh `import tensorflow`: median {statistics.median(floor):.1f} s")
    with tempfile.TemporaryDirectory(prefix="check-quick-") as tmp:
        root = Path(tmp)
        env = tool_env(keras_home(root / "keras", QUICK_FRACTION))
        for notebook in args.notebooks:
            script = root / f"{notebook.stem}.py"
            script.write_text(PRELUDE + "\n" + script_of(notebook), encoding="utf-8")
            check = [sys.executable, "-m", "autograder", "check", str(notebook)]
            check += ["--rubric", str(args.rubric), "--quick"]
            checked: list[float] = []
            bare: list[float] = []
            for _ in range(args.repeat):
                checked.append(timed(check, cwd=ROOT, ok_codes=(0, 1)))
                bare.append(timed([sys.executable, str(script)], cwd=root, env=env))
            extra = statistics.median(checked) - statistics.median(bare)
            print(
                f"{notebook.name}: check --quick median {statistics.median(checked):.1f} s "
                f"(min {min(checked):.1f}), bare quick run {statistics.median(bare):.1f} s "
                f"(min {min(bare):.1f}): check adds {extra:.1f} s"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
