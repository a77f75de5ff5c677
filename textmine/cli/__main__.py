"""``python -m textmine.cli``: the same command as ``textmine``."""

from textmine.cli import main

main(prog_name="textmine")
