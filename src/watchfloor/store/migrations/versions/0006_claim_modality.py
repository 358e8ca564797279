"""Claim modality: whether a claim tells of an event that happened, or one planned, to come or
hypothetical (``actual``, ``future``, ``planning``, ``hypothetical``); rows before it are actual

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("modality", sa.String(length=16), nullable=False, server_default="actual"))


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("modality")
