"""TLP markings on every stored item, and the record of imported STIX objects

Revision ID: 0004_markings
Revises: 0001
Create Date: 2026-12-03 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_markings"
down_revision = "0001"
branch_labels = None
depends_on = None

MARKED = ("documents", "entities", "list_entries", "events", "claims", "maritime_events", "alerts", "reviews")


def upgrade() -> None:
    # Rows stored before markings existed get TLP:AMBER, the shipped default_tlp.
    for table in MARKED:
        op.add_column(table, sa.Column("tlp", sa.String(length=16), server_default="amber", nullable=False))
    op.create_table(
        "stix_imports",
        sa.Column("stix_id", sa.String(length=120), nullable=False),
        sa.Column("stix_type", sa.String(length=40), nullable=False),
        sa.Column("modified", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=True),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("tlp", sa.String(length=16), server_default="amber", nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_stix_imports_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_stix_imports_event_id_events"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("stix_id", name=op.f("pk_stix_imports")),
    )


def downgrade() -> None:
    op.drop_table("stix_imports")
    for table in reversed(MARKED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("tlp")
