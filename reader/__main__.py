"""``python -m reader`` runs the same entry point as the ``broadsheet`` command."""

from reader.cli import main

raise SystemExit(main())
