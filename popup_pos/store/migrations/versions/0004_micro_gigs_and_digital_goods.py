"""micro-gigs and digital goods: slots, per-person limits, customer hashes, ticket states

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 04:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_STATUS = "status IN ('waiting', 'called', 'done', 'no_show')"
_NEW_STATUS = "status IN ('held', 'waiting', 'called', 'done', 'no_show', 'cancelled')"
_SLOT_WHERE = "slot_at IS NOT NULL AND status <> 'cancelled'"


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_salt", sa.String(length=32), nullable=True))
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slots_from", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("slots_until", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("slot_minutes", sa.Integer(), nullable=True))
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("per_person_limit", sa.Integer(), nullable=True))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_orders_customer", ["event_id", "customer_hash"], unique=False)
    with op.batch_alter_table("download_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_download_codes_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_check_constraint(
            "status", sa.text("status IN ('unused', 'assigned', 'void')")
        )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("slot_at", sa.DateTime(), nullable=True))
        batch_op.drop_constraint(op.f("ck_tickets_status"), type_="check")
        batch_op.create_check_constraint("status", sa.text(_NEW_STATUS))
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_variant_id_variants"), "variants", ["variant_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_tickets_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(
            "ix_tickets_booked", ["event_id", "variant_id", "status"], unique=False
        )
        batch_op.create_index(
            "uq_tickets_slot",
            ["variant_id", "slot_at"],
            unique=True,
            sqlite_where=sa.text(_SLOT_WHERE),
            postgresql_where=sa.text(_SLOT_WHERE),
        )
    # A digital variant's stock is now its unused codes, which every sale counts down.
    op.execute(
        "UPDATE variants SET track_stock = true WHERE product_id IN"
        " (SELECT id FROM products WHERE kind = 'digital')"
    )
    # Tickets sold before this schema name their variant through their order line.
    op.execute(
        "UPDATE tickets SET variant_id = (SELECT order_lines.variant_id FROM order_lines"
        " WHERE order_lines.id = tickets.order_line_id)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM tickets WHERE status IN ('held', 'cancelled')")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_tickets_slot",
            sqlite_where=sa.text(_SLOT_WHERE),
            postgresql_where=sa.text(_SLOT_WHERE),
        )
        batch_op.drop_index("ix_tickets_booked")
        batch_op.drop_index(batch_op.f("ix_tickets_order_line_id"))
        batch_op.drop_constraint(batch_op.f("fk_tickets_variant_id_variants"), type_="foreignkey")
        batch_op.drop_constraint(op.f("ck_tickets_status"), type_="check")
        batch_op.create_check_constraint("status", sa.text(_OLD_STATUS))
        batch_op.drop_column("slot_at")
        batch_op.drop_column("variant_id")
    with op.batch_alter_table("download_codes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_download_codes_status"), type_="check")
        batch_op.drop_index(batch_op.f("ix_download_codes_order_line_id"))
        batch_op.drop_column("voided_at")
        batch_op.drop_column("imported_at")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_customer")
        batch_op.drop_column("customer_hash")
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.drop_column("per_person_limit")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("slot_minutes")
        batch_op.drop_column("slots_until")
        batch_op.drop_column("slots_from")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("customer_salt")
