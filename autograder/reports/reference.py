"""Console rendering of a reference run (``autograder reference``), and of its spread
over several seeds (``--seeds N``)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from autograder.i18n import Language, text
from autograder.reference.cache import ReferenceRecord
from autograder.reference.seeds import ReferenceSpreadResult
from autograder.reports.console import compact, number


def render_reference(
    record: ReferenceRecord, entry: Path, *, from_cache: bool, console: Console
) -> None:
    """One panel: where the numbers came from, then the numbers."""
    summary, key = record.summary, record.key
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    origin = "cache" if from_cache else f"trained now in {summary.duration_s:.1f} s"
    grid.add_row("Source:", Text(f"{origin} · {entry}"))
    grid.add_row("Solution:", Text(record.reference_path))
    grid.add_row(
        "Data:",
        Text(f"{key.data_source} · fraction {number(key.data_fraction, 4)} · seed {key.seed}"),
    )
    grid.add_row(
        "Environment:", Text(f"TensorFlow {key.tensorflow} · Keras {key.keras} · {key.device}")
    )
    for label, value in (
        ("Test accuracy:", summary.test_accuracy),
        ("Train accuracy:", summary.train_accuracy),
        ("Gap:", summary.overfitting_gap),
        ("Test loss:", summary.test_loss),
    ):
        grid.add_row(label, Text("n/a" if value is None else f"{value:.4f}"))
    grid.add_row(
        "Parameters:",
        Text(f"{compact(summary.trainable_params)} trainable / {compact(summary.total_params)}"),
    )
    epochs = len(next(iter(record.history.values()), []))
    grid.add_row("Epochs:", Text(str(epochs)))
    style = "green" if record.score >= record.max_score else "yellow"
    grid.add_row(
        "Own score:",
        Text(f"{number(record.score)} / {number(record.max_score)} against its rubric", style),
    )
    if summary.weights_sha256:
        grid.add_row("Weights:", Text(f"sha256 {summary.weights_sha256[:16]}…", style="dim"))
    console.print(Panel(grid, title=Text("reference", style="bold"), title_align="left"))


def render_reference_seeds(
    result: ReferenceSpreadResult, *, lang: Language, console: Console
) -> None:
    """The spread table (mean, sd, min, max per metric), then where each seed came from."""

    # Full message ids, so the catalog test sees every one of them.
    def say(message_id: str, **args: object) -> str:
        return text(message_id, lang, **args)

    table = Table(title=say("reference_seeds.title", n=result.seeds), title_justify="left")
    for column in ("metric", "mean", "sd", "min", "max"):
        table.add_column(
            say(f"reference_seeds.{column}"), justify="left" if column == "metric" else "right"
        )
    for row in result.metrics:
        cells = (row.mean, row.sd, row.min, row.max)
        table.add_row(
            say(f"reference_seeds.{row.metric}"),
            *(say("reference_seeds.value", value=v) for v in cells),
        )
    console.print(table)
    cached = len(result.runs) - result.trained
    console.print(Text(say("reference_seeds.sources", cached=cached, trained=result.trained)))
    for run in result.runs:
        source = say(
            "reference_seeds.cache" if run.source == "cache" else "reference_seeds.trained"
        )
        console.print(
            Text(
                say("reference_seeds.seed", seed=run.seed, source=source, entry=run.entry),
                style="dim",
            )
        )
