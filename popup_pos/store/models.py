"""Typed SQLAlchemy 2 models: the schema every register shares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeAlias, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# A result row of any shape, as Core statements return them.
AnyRow: TypeAlias = Row[*tuple[Any, ...]]


def table_of(model: type[Base]) -> Table:
    """The Core table behind a model, typed, for statements on the hot path."""
    return cast(Table, model.__table__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC, read back as aware UTC, identically on SQLite and PostgreSQL."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    # Stable constraint names so Alembic migrations work the same on SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        dict[str, str]: JSON,
    }


class Event(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    float_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    counted_cash_cents: Mapped[int | None] = mapped_column(BigInteger)
    # How long an unpaid order holds its stock before it is released.
    reservation_minutes: Mapped[int] = mapped_column(Integer, default=15)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Customer handles are hashed with this, so the same person is recognised within the
    # event but not across events; set when the first handle is entered.
    customer_salt: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        # One open event per database: every register sells into the same night.
        Index(
            "uq_events_one_open",
            "status",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )


class Register(Base):
    __tablename__ = "registers"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    code: Mapped[str] = mapped_column(String(4))
    last_order_seq: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("event_id", "code", name="uq_registers_event_code"),)


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))  # organizer | seller | helper
    pin_hash: Mapped[str] = mapped_column(String(200))
    # Helpers belong to one event and their PIN stops working when it closes.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (CheckConstraint("role IN ('organizer', 'seller', 'helper')", name="role"),)


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Owner(Base):
    """A co-seller whose products share the table."""

    __tablename__ = "owners"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class TaxClass(Base):
    __tablename__ = "tax_classes"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    rate_ppm: Mapped[int] = mapped_column(Integer)
    inclusive: Mapped[bool] = mapped_column(Boolean, default=False)


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="item")
    description: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"))
    tax_class_id: Mapped[int | None] = mapped_column(ForeignKey("tax_classes.id"))
    time_minutes: Mapped[int | None] = mapped_column(Integer)  # experiences
    capacity: Mapped[int | None] = mapped_column(Integer)  # experiences, per event
    # Experiences sold by time slot: one unit per slot, every slot_minutes from
    # slots_from until slots_until ("20:00", "21:00"), local time on the event's day.
    slots_from: Mapped[str | None] = mapped_column(String(5))
    slots_until: Mapped[str | None] = mapped_column(String(5))
    slot_minutes: Mapped[int | None] = mapped_column(Integer)
    personalisation_prompt: Mapped[str | None] = mapped_column(String(200))
    # The co-seller's share of this product's net sales, in ppm; None: the owner's default.
    owner_share_ppm: Mapped[int | None] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped by every catalog edit: a save made from an older read is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    category: Mapped[Category | None] = relationship()
    owner: Mapped[Owner | None] = relationship()
    tax_class: Mapped[TaxClass | None] = relationship()
    variants: Mapped[list[Variant]] = relationship(back_populates="product", order_by="Variant.id")
    __table_args__ = (CheckConstraint("kind IN ('item', 'digital', 'experience')", name="kind"),)


class Variant(Base):
    __tablename__ = "variants"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True)
    options: Mapped[dict[str, str]] = mapped_column(default=dict)
    price_cents: Mapped[int | None] = mapped_column(BigInteger)  # None: priced at sale
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    per_order_limit: Mapped[int | None] = mapped_column(Integer)
    # Units one customer (by hashed handle) may buy across all orders of an event.
    per_person_limit: Mapped[int | None] = mapped_column(Integer)
    edition_size: Mapped[int | None] = mapped_column(Integer)
    next_edition: Mapped[int] = mapped_column(Integer, default=1)
    track_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    low_stock_at: Mapped[int | None] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    product: Mapped[Product] = relationship(back_populates="variants")
    components: Mapped[list[BundleComponent]] = relationship(
        foreign_keys="BundleComponent.bundle_id", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("price_cents IS NULL OR price_cents >= 0", name="price_not_negative"),
        CheckConstraint(
            "edition_size IS NULL OR next_edition <= edition_size + 1", name="edition_bound"
        ),
    )

    @property
    def label(self) -> str:
        """'Band tee — M' for people; just the product name when there are no options."""
        values = " / ".join(v for v in self.options.values() if v)
        return f"{self.product.name} — {values}" if values else self.product.name


class BundleComponent(Base):
    __tablename__ = "bundle_components"
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), index=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    component: Mapped[Variant] = relationship(foreign_keys=[component_id])
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("bundle_id <> component_id", name="not_self"),
        UniqueConstraint("bundle_id", "component_id", name="uq_bundle_components_pair"),
    )


class EditionReturn(Base):
    """An edition number returned to stock by a refund, handed out again before new ones."""

    __tablename__ = "edition_returns"
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)


class StockMovement(Base):
    """Ledger: the sum of a variant's movements is its on-hand count."""

    __tablename__ = "stock_movements"
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)  # signed
    reason: Mapped[str | None] = mapped_column(String(200))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        CheckConstraint(
            "kind IN ('count_in', 'sale', 'sale_cancel', 'refund_return', 'adjustment',"
            " 'comp', 'count_out')",
            name="kind",
        ),
    )


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"))
    number: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24), default="open")
    currency: Mapped[str] = mapped_column(String(3))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    placed_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    fulfilled_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    reserved_until: Mapped[datetime | None]
    parked: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(500))
    discount_kind: Mapped[str | None] = mapped_column(String(8))
    discount_value: Mapped[int | None] = mapped_column(BigInteger)
    tip_kind: Mapped[str | None] = mapped_column(String(8))
    tip_value: Mapped[int | None] = mapped_column(BigInteger)
    subtotal_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    discount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    tip_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # sha256 of the customer's normalised handle and the event's salt; never the handle.
    customer_hash: Mapped[str | None] = mapped_column(String(64))
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(order_by="Payment.id")
    __table_args__ = (
        UniqueConstraint("event_id", "number", name="uq_orders_event_number"),
        CheckConstraint(
            "status IN ('open', 'awaiting_payment', 'paid', 'fulfilled', 'cancelled',"
            " 'refunded', 'partially_refunded')",
            name="status",
        ),
        CheckConstraint("refunded_cents <= paid_cents", name="refund_bound"),
        Index("ix_orders_status", "event_id", "status"),
        Index("ix_orders_customer", "event_id", "customer_hash"),
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"), index=True)
    # Snapshot at sale time, so later catalog edits never rewrite history.
    sku: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default="item")
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(BigInteger)
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    tax_rate_ppm: Mapped[int] = mapped_column(Integer, default=0)
    tax_inclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    discount_kind: Mapped[str | None] = mapped_column(String(8))
    discount_value: Mapped[int | None] = mapped_column(BigInteger)
    line_discount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    order_discount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    edition_numbers: Mapped[str | None] = mapped_column(String(500))  # "17,18"
    personalisation: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(200))
    refunded_quantity: Mapped[int] = mapped_column(Integer, default=0)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"))
    order: Mapped[Order] = relationship(back_populates="lines")
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("refunded_quantity <= quantity", name="refund_bound"),
    )


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    tender: Mapped[str] = mapped_column(String(16))  # cash | wallet | stripe_qr | stripe_card
    status: Mapped[str] = mapped_column(String(16), default="succeeded")
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    tendered_cents: Mapped[int | None] = mapped_column(BigInteger)  # cash handed over
    change_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    refunded_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    reference: Mapped[str | None] = mapped_column(String(200))
    provider_id: Mapped[str | None] = mapped_column(String(200), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    request: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("refunded_cents <= amount_cents", name="refund_bound"),
        CheckConstraint("status IN ('pending', 'succeeded', 'failed', 'cancelled')", name="status"),
        # The offline banner counts pending payments every second: keep that instant.
        Index(
            "ix_payments_pending",
            "order_id",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )


class Refund(Base):
    __tablename__ = "refunds"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    tender: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(200))
    return_to_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="succeeded")
    provider_id: Mapped[str | None] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)


class RefundLine(Base):
    __tablename__ = "refund_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refunds.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(BigInteger)


class CashMovement(Base):
    """Money put into or taken out of the drawer other than by a sale or refund."""

    __tablename__ = "cash_movements"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # paid_in | paid_out
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        CheckConstraint("kind IN ('paid_in', 'paid_out')", name="kind"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
    )


class DownloadCode(Base):
    """One code of a digital variant's pool; assigned to one order line, at most once."""

    __tablename__ = "download_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    code: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="unused")  # unused|assigned|void
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"), index=True)
    assigned_at: Mapped[datetime | None]
    imported_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    __table_args__ = (
        UniqueConstraint("variant_id", "code", name="uq_download_codes_variant_code"),
        Index("ix_download_codes_pool", "variant_id", "status"),
        CheckConstraint("status IN ('unused', 'assigned', 'void')", name="status"),
    )


# A ticket takes a place (capacity, its slot) while it is in any of these states.
TICKET_ACTIVE = ("held", "waiting", "called", "done", "no_show")


class Ticket(Base):
    """A place in the ticket queue for one unit of an experience line.

    `held` while its order waits for payment, `waiting` once paid, then `called`, `done`
    or `no_show`; `cancelled` when the order is cancelled or the line refunded.
    """

    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"))
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    personalisation: Mapped[str | None] = mapped_column(String(200))
    slot_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    __table_args__ = (
        CheckConstraint(
            "status IN ('held', 'waiting', 'called', 'done', 'no_show', 'cancelled')",
            name="status",
        ),
        Index("ix_tickets_booked", "event_id", "variant_id", "status"),
        # Two registers can never sell the same time slot.
        Index(
            "uq_tickets_slot",
            "variant_id",
            "slot_at",
            unique=True,
            sqlite_where=text("slot_at IS NOT NULL AND status <> 'cancelled'"),
            postgresql_where=text("slot_at IS NOT NULL AND status <> 'cancelled'"),
        ),
    )


class AuditEntry(Base):
    """Append-only, hash-chained record of every state change."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC text, part of the hash
    actor: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)  # canonical JSON, hashed as written
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Setting(Base):
    """App-wide settings shared by every register (wallet handles, print defaults…)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StripeReader(Base):
    """A card reader registered with Stripe Terminal for this shop."""

    __tablename__ = "stripe_readers"
    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_id: Mapped[str] = mapped_column(String(100), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    device_type: Mapped[str | None] = mapped_column(String(50))
    register_code: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Device(Base):
    """A helper's phone: paired by a one-time code, then signed in by a token bound to
    one staff member and one event. Only hashes of the code and the token are kept."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime] = mapped_column()
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    register_id: Mapped[int | None] = mapped_column(ForeignKey("registers.id"))
    name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paired_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class DeviceRequest(Base):
    """A phone's request that changes something, by its idempotency key: a retry finds
    the stored answer instead of doing the change again."""

    __tablename__ = "device_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # pending | done
    response: Mapped[dict[str, Any] | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        UniqueConstraint("device_id", "key", name="uq_device_requests_key"),
        CheckConstraint("status IN ('pending', 'done')", name="status"),
    )


# ---- email delivery (Core tables: read and written by store.outbox and store.fans) ----

# The fan's address for one order, and whether they want to hear from the seller again.
# `email` is blanked once the order's messages are sent unless `consent` is true; the
# hash stays so a fan can still be counted (repeat purchases) and forgotten.
order_emails = Table(
    "order_emails",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False, unique=True),
    Column("event_id", ForeignKey("events.id"), nullable=False, index=True),
    Column("email", String(254), nullable=True),
    Column("email_hash", String(64), nullable=False, index=True),
    Column("consent", Boolean, nullable=False, default=False),
    Column("consent_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

OUTBOX_STATUSES = ("pending", "sent", "failed", "replaced")

# One message to send. `message_id` is fixed when the row is made, so a message sent
# twice after a crash is recognisably the same message. `raw` is the whole message as
# composed once (before its first attempt), so every attempt sends the same bytes.
outbox = Table(
    "outbox",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=True, index=True),
    Column("kind", String(16), nullable=False),
    Column("recipient", String(254), nullable=True),
    Column("recipient_hash", String(64), nullable=False, index=True),
    Column("subject", String(200), nullable=False),
    Column("body_text", Text, nullable=True),
    Column("body_html", Text, nullable=True),
    Column("raw", Text, nullable=True),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime(), nullable=True),
    Column("message_id", String(200), nullable=False, unique=True),
    Column("last_error", String(500), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("size", BigInteger, nullable=True),
    CheckConstraint(
        "status IN ('pending', 'sent', 'failed', 'replaced')",
        name="status",
    ),
    Index("ix_outbox_due", "status", "next_try_at"),
)
