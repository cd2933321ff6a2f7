"""PNG plots for the HTML reports, drawn with matplotlib's Agg canvas.

Figures are built with the object API (no pyplot), so nothing global changes in
the process and no display is needed.  Each function returns a ``data:`` URI that
an ``<img>`` tag embeds, which keeps a report a single self-contained file.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

_DPI = 110
_STUDENT = "#1f77b4"
_REFERENCE = "#7f7f7f"


def _png(figure: Figure) -> str:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def learning_curves(
    student: Mapping[str, Sequence[float | None]],
    reference: Mapping[str, Sequence[float | None]] | None,
    labels: Mapping[str, str],
) -> str | None:
    """Loss and accuracy per epoch: train solid, validation dashed; the reference in grey.

    ``labels`` holds the translated words: student, reference, train, validation,
    epoch, loss, accuracy.  None when there is nothing to draw.
    """
    metrics = [m for m in ("loss", "accuracy") if student.get(m) or student.get(f"val_{m}")]
    if not metrics:
        return None
    figure = Figure(figsize=(4.2 * len(metrics), 3.2))
    for index, metric in enumerate(metrics, start=1):
        axes = figure.add_subplot(1, len(metrics), index)
        series = [(student, labels["student"], _STUDENT)]
        if reference:
            series.append((reference, labels["reference"], _REFERENCE))
        for history, who, colour in series:
            for key, split, style in (
                (metric, "train", "-"),
                (f"val_{metric}", "validation", "--"),
            ):
                # null marks an epoch that was not finite (a diverged run): a gap in the line.
                values = [math.nan if v is None else v for v in history.get(key) or []]
                if values:
                    epochs = range(1, len(values) + 1)
                    label = f"{who}: {labels[split]}"
                    axes.plot(epochs, values, style, color=colour, label=label, marker=".")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole
        axes.set_xlabel(labels["epoch"])
        axes.set_title(labels[metric])
        axes.grid(alpha=0.3)
        axes.legend(fontsize="small")
    figure.tight_layout()
    return _png(figure)


def confusion_matrix(
    matrix: Sequence[Sequence[int]], names: Sequence[str], labels: Mapping[str, str]
) -> str:
    """The confusion matrix as a heat map with counts, true classes down, predicted across."""
    size = len(matrix)
    side = max(4.0, 0.5 * size + 2)
    figure = Figure(figsize=(side, side))
    axes = figure.add_subplot(1, 1, 1)
    image = axes.imshow(matrix, cmap="Blues")
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
    axes.set_xticks(range(size), labels=list(names), rotation=45, ha="right")
    axes.set_yticks(range(size), labels=list(names))
    axes.set_xlabel(labels["predicted"])
    axes.set_ylabel(labels["true"])
    peak = max((max(row) for row in matrix), default=0)
    if size <= 20:  # beyond that the numbers are unreadable; the colours still tell
        for i, row in enumerate(matrix):
            for j, count in enumerate(row):
                colour = "white" if peak and count > peak / 2 else "black"
                axes.text(j, i, str(count), ha="center", va="center", fontsize=7, color=colour)
    figure.tight_layout()
    return _png(figure)


def histogram(
    values: Sequence[float], *, bins: int, limits: tuple[float, float], xlabel: str, ylabel: str
) -> str | None:
    """A distribution over the class (scores, accuracies); None without values."""
    if not values:
        return None
    figure = Figure(figsize=(5, 3))
    axes = figure.add_subplot(1, 1, 1)
    axes.hist(list(values), bins=bins, range=limits, color=_STUDENT, edgecolor="white")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of submissions
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3, axis="y")
    figure.tight_layout()
    return _png(figure)
