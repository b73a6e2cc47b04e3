"""Alembic migrations of the gateway's database, shipped inside the package.

Applied by ``defa admin migrate``, by ``defa serve`` at start and by every admin command;
see :meth:`defa.service.db.Database.migrate`. A new revision goes in ``versions/``.
"""
