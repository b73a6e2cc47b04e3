"""The service's database handle (kept for older imports; see :mod:`defa.service.db`)."""

from defa.service.db.engine import Database

__all__ = ["Database"]
