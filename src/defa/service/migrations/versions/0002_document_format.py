"""Documents record the format (profile) detected, e.g. peppol-bis3, beside their syntax.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Nullable: documents stored before this revision were not asked their format.
    op.add_column("documents", sa.Column("format", sa.String(64), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite has it since 3.35): a batch rebuild of the table would
    # drop it, which its foreign keys (reports, conversions) refuse once rows exist.
    op.drop_column("documents", "format")
