"""``python -m reemploi.cli``: the same as the ``reemploi`` command."""

from reemploi.cli.app import main

main()
