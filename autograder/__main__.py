"""`python -m autograder` runs the CLI."""

from autograder.cli import run

run()
