"""``python -m filter`` runs the ``pagefilter`` command line."""

from .cli import app

app(prog_name="pagefilter")
