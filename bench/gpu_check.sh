#!/usr/bin/env bash
# Grade the CIFAR-10 exercise on this machine's GPU(s), then on CPU, and print the
# timings and the device each result recorded.  For a machine with an NVIDIA GPU;
# CI never has one, and without a GPU this script says so and exits 3.
#
#   bench/gpu_check.sh                          # synthetic data, fraction 0.1
#   DATA=real FRACTION=1 bench/gpu_check.sh     # the real dataset (Keras cache)
#   NOTEBOOK=my.ipynb RUBRIC=rubrics/x.yaml bench/gpu_check.sh
#
# The GPUs are found the way `grade --gpus auto` finds them (nvidia-smi, else
# /proc/driver/nvidia), never by importing TensorFlow in the grader.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUBRIC="${RUBRIC:-rubrics/cifar10-mlp.yaml}"
NOTEBOOK="${NOTEBOOK:-submissions/cifar10-mlp/correct.ipynb}"
DATA="${DATA:-synthetic}"
FRACTION="${FRACTION:-0.1}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/gpu-check-XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

gpus="$("$PYTHON" -c '
from autograder.execution.gpus import probe_gpus
for gpu in probe_gpus():
    memory = gpu.memory_mb or "?"
    print(f"{gpu.label}, {memory} MiB")
')"
if [[ -z "$gpus" ]]; then
    echo "gpu_check: no GPU found (nvidia-smi and /proc/driver/nvidia list none, or" \
        "CUDA_VISIBLE_DEVICES hides them); nothing to measure on this machine." >&2
    exit 3
fi
echo "GPUs found:"
echo "$gpus" | sed 's/^/  /'

# The reference is trained once (on the GPU), so that neither timed run pays for it.
echo "warming the reference cache ($RUBRIC, $DATA, fraction $FRACTION)…"
"$PYTHON" -m autograder reference -r "$RUBRIC" --data "$DATA" --fraction "$FRACTION" \
    >"$OUT/reference.log" 2>&1 || { cat "$OUT/reference.log" >&2; exit 1; }

grade() {  # grade MODE: time one `grade --gpus MODE` of the notebook; prints seconds
    local mode="$1" started ended
    started="$(date +%s.%N)"
    "$PYTHON" -m autograder grade "$NOTEBOOK" -r "$RUBRIC" --data "$DATA" \
        --fraction "$FRACTION" --gpus "$mode" --force --out "$OUT/$mode" \
        >"$OUT/$mode.log" 2>&1 || { cat "$OUT/$mode.log" >&2; exit 1; }
    ended="$(date +%s.%N)"
    "$PYTHON" -c "print(f'{$ended - $started:.1f}')"
}

field() {  # field MODE SECTION KEY: one value of the graded notebook's summary.json
    "$PYTHON" -c '
import json, sys
[report] = json.load(open(sys.argv[1], encoding="utf-8"))["submissions"]
print((report.get(sys.argv[2]) or {}).get(sys.argv[3]))
' "$OUT/$1/summary.json" "$2" "$3"
}

gpu_s="$(grade auto)"
cpu_s="$(grade none)"
printf '\n%-6s %10s %10s %12s  %s\n' "--gpus" "wall s" "kernel s" "test acc" "device"
for mode in auto none; do
    wall="$gpu_s"
    [[ "$mode" == none ]] && wall="$cpu_s"
    printf '%-6s %10s %10s %12s  %s\n' "$mode" "$wall" \
        "$(field "$mode" execution duration_s)" \
        "$(field "$mode" metrics test_accuracy)" \
        "$(field "$mode" execution device)"
done
"$PYTHON" -c "print(f'CPU / GPU wall time: {$cpu_s / $gpu_s:.2f}x')"

device="$(field auto execution device)"
if [[ "$device" != gpu:* ]]; then
    echo "gpu_check: --gpus auto graded on '$device', not on a GPU" >&2
    exit 1
fi
