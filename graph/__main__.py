"""``python -m graph`` runs the techreg command line."""

from .cli import main

main()
