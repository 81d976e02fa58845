"""``python -m geoaleppo`` runs the command line."""

from geoaleppo.cli import main

main()
