"""Add or edit one product: its fields, its options and a grid of variants, each problem
shown beside the field it is about."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from popup_pos.domain.errors import PosError
from popup_pos.domain.money import format_money, format_percent, parse_amount, parse_percent
from popup_pos.gui.dialogs.kit import _primary, _roomy, _say, fit_to_screen, scrolling
from popup_pos.gui.theme import RED_TEXT, TEXT_MUTED
from popup_pos.services import products
from popup_pos.services.products import Problem, ProductDraft, ProductError, VariantDraft

if TYPE_CHECKING:
    from PySide6.QtCore import QSize

    from popup_pos.store.uow import UnitOfWork

# The grid's columns: (title, draft field).
COLUMNS = (
    ("Options", "options"),
    ("SKU", "sku"),
    ("Barcode", "barcode"),
    ("Price", "price"),
    ("Cost", "cost"),
    ("Stock", "quantity"),
    ("Edition size", "edition_size"),
    ("Per order", "per_order_limit"),
    ("Per person", "per_person_limit"),
    ("Bundle of (SKU x2, …)", "components"),
)
_COL = {name: i for i, (_title, name) in enumerate(COLUMNS)}
WIDTHS = (130, 190, 130, 90, 80, 70, 0, 0, 0)  # 0: as wide as the title
# How a message names a grid column.
WORDS = {
    "quantity": "stock",
    "edition_size": "edition size",
    "per_order_limit": "per-order limit",
    "per_person_limit": "per-person limit",
}
# A dark red a cell's light text still reads on.
BAD_CELL = "#6b1d16"


def _cell(text: str, *, editable: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _whole(text: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        message = f"{what.replace('_', ' ')} {text!r} is not a whole number"
        raise ProductError([Problem(what, message)])
    return int(text)


def parse_parts(text: str) -> tuple[tuple[str, int], ...]:
    """'TEE-M x1, POSTER x2' -> (('TEE-M', 1), ('POSTER', 2)); a bare SKU is one."""
    parts: list[tuple[str, int]] = []
    for chunk in text.split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        sku, _x, qty = chunk.replace("×", "x").rpartition(" x")
        if not sku:
            sku, qty = chunk, "1"
        if not qty.strip().isdigit():
            raise ProductError([Problem("components", f"bundle part {chunk!r}: write SKU x2")])
        parts.append((sku.strip(), int(qty)))
    return tuple(parts)


class ProductEditor(QDialog):
    """New product (record None) or the product as read; Save writes it in one go."""

    def __init__(
        self,
        uow: UnitOfWork,
        record: products.ProductRecord | None,
        *,
        currency: str,
        actor: str,
        parent: QWidget | None = None,
        name: str = "",
        price_cents: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.uow, self.record, self.currency, self.actor = uow, record, currency, actor
        self.saved: products.ProductRecord | None = None
        self._ids: list[int | None] = []
        self._on_hand: list[int] = []
        self._kept = {v.id: v for v in record.variants} if record else {}
        _roomy(self)
        self.setWindowTitle(f"Edit {record.name}" if record else "New product")
        body = QWidget()
        layout = QVBoxLayout(body)
        self._hints: dict[str, QLabel] = {}
        form = QFormLayout()
        self.name = QLineEdit(record.name if record else name)
        self.name.setObjectName("productName")
        self.name.setPlaceholderText("Tour tee")
        self.kind = QComboBox()
        self.kind.addItems(list(products.KINDS))
        self.kind.setCurrentText(record.kind if record else "item")
        self.category = self._names_combo("category", record.category if record else None)
        self.owner = self._names_combo("owner", record.owner if record else None)
        self.share = QLineEdit(
            format_percent(record.owner_share_ppm)
            if record and record.owner_share_ppm is not None
            else ""
        )
        self.share.setPlaceholderText("owner's default")
        self.tax = QComboBox()
        self.tax.addItems(["(event default)", *products.names(uow, "tax_class")])
        if record and record.tax_class:
            self.tax.setCurrentText(record.tax_class)
        for label, widget, key in (
            ("&Name", self.name, "product"),
            ("&Kind", self.kind, "kind"),
            ("&Category", self.category, "category"),
            ("Co-seller (o&wner)", self.owner, "owner"),
            ("Owner's s&hare", self.share, "owner_share"),
            ("&Tax class", self.tax, "tax_class"),
        ):
            form.addRow(label, self._with_hint(widget, key))
        layout.addLayout(form)
        layout.addWidget(self._kind_box(record))
        layout.addWidget(self._options_box(record))
        layout.addWidget(self._grid(record, price_cents))
        self.kind.currentTextChanged.connect(self._kind_changed)
        self._last_name = self.name.text()
        self.name.textChanged.connect(self._resuggest)
        self._kind_changed(self.kind.currentText())

        outer = QVBoxLayout(self)
        outer.addWidget(scrolling(body), 1)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        outer.addWidget(self.notice)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        _primary(self.save_button)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        for keys in ("Ctrl+S", "Ctrl+Return"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)
        fit_to_screen(self, self._preferred())
        # Typing starts at the name: the organizer opens the editor to type into it.
        self.name.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        # Enter in a field must not save a half-typed product: Ctrl+S or the button does.
        plain = not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            return
        super().keyPressEvent(event)

    def _preferred(self) -> QSize:
        from PySide6.QtCore import QSize

        return QSize(1200, 860)

    # ---- building -----------------------------------------------------------------------

    def _names_combo(self, what: str, current: str | None) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.addItems(["", *products.names(self.uow, what)])
        box.setCurrentText(current or "")
        return box

    def _with_hint(self, widget: QWidget, key: str) -> QWidget:
        """The field with a line under it for what is wrong with it."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        hint = QLabel()
        hint.setObjectName(f"hint_{key}")
        hint.setStyleSheet(f"color: {RED_TEXT}; font-weight: bold;")
        hint.setWordWrap(True)
        hint.hide()
        box.addWidget(hint)
        self._hints[key] = hint
        return holder

    def _kind_box(self, record: products.ProductRecord | None) -> QGroupBox:
        self.kind_box = QGroupBox("Experience")
        form = QFormLayout(self.kind_box)
        self._experience_form = form
        self._experience_fields: list[QWidget] = []
        self.minutes = QLineEdit(str(record.time_minutes or "") if record else "")
        self.minutes.setPlaceholderText("minutes each, e.g. 3")
        self.capacity = QLineEdit(str(record.capacity or "") if record else "")
        self.capacity.setPlaceholderText("places this event (blank: no limit)")
        slots = ""
        if record and record.slots_from and record.slots_until and record.slot_minutes:
            slots = f"{record.slots_from}-{record.slots_until}/{record.slot_minutes}"
        self.slots = QLineEdit(slots)
        self.slots.setPlaceholderText("20:00-21:00/5 (blank: no time slots)")
        self.prompt = QLineEdit(record.personalisation_prompt or "" if record else "")
        self.prompt.setPlaceholderText("what to ask at the sale, e.g. Name for the shoutout")
        for label, widget, key in (
            ("Minutes per unit", self.minutes, "time_minutes"),
            ("Capacity", self.capacity, "capacity"),
            ("Time slots", self.slots, "slots"),
            ("Personalisation prompt", self.prompt, "personalisation"),
        ):
            holder = self._with_hint(widget, key)
            self._experience_fields.append(holder)
            form.addRow(label, holder)
        pool = ""
        if record is not None and record.kind == "digital":
            counts = ", ".join(f"{v.sku}: {v.on_hand}" for v in record.variants if not v.archived)
            pool = f" Unused codes in the pool now: {counts}."
        self.digital_note = QLabel(
            "A digital item's stock is its unused download codes: import them with "
            f"`popup-pos codes import SKU FILE`.{pool}"
        )
        self.digital_note.setObjectName("codePool")
        self.digital_note.setWordWrap(True)
        self.digital_note.setStyleSheet(f"color: {TEXT_MUTED};")
        form.addRow(self.digital_note)
        return self.kind_box

    def _options_box(self, record: products.ProductRecord | None) -> QGroupBox:
        box = QGroupBox("Options (sizes, colours)")
        row = QHBoxLayout(box)
        names: list[str] = []
        values: list[list[str]] = [[], []]
        for v in record.variants if record else ():
            for i, (n, val) in enumerate(v.options[:2]):
                if n not in names:
                    names.append(n)
                if val not in values[i]:
                    values[i].append(val)
        self.option_names: list[QLineEdit] = []
        self.option_values: list[QLineEdit] = []
        for i, example in enumerate(("Size", "Colour")):
            name = QLineEdit(names[i] if i < len(names) else "")
            name.setObjectName(f"option{i + 1}Name")
            name.setPlaceholderText(example)
            name.setMaximumWidth(160)
            vals = QLineEdit(", ".join(values[i]))
            vals.setObjectName(f"option{i + 1}Values")
            vals.setPlaceholderText("S, M, L, XL" if i == 0 else "Black, White")
            row.addWidget(name)
            row.addWidget(vals, 1)
            self.option_names.append(name)
            self.option_values.append(vals)
        self.make = QPushButton("&Make variants")
        self.make.setObjectName("makeVariants")
        self.make.setToolTip("One row for each combination; existing rows keep what they have")
        self.make.clicked.connect(self.make_variants)
        row.addWidget(self.make)
        return box

    def _grid(self, record: products.ProductRecord | None, price: int | None) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("variants")
        self.table.setHorizontalHeaderLabels([t for t, _n in COLUMNS])
        # Fixed widths: columns that grew as text was typed would move under the pointer.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate(WIDTHS):
            self.table.setColumnWidth(col, max(width, header.sectionSizeHint(col)))
        self.table.setMinimumHeight(220)
        box.addWidget(self.table)
        tools = QHBoxLayout()
        add = QPushButton("Add a &row")
        add.clicked.connect(lambda: self._add_row(None, ()))
        remove = QPushButton("Remove the selected row")
        remove.setToolTip("A saved variant is archived, never deleted: its sales stay")
        remove.clicked.connect(self._remove_row)
        tools.addWidget(add)
        tools.addWidget(remove)
        tools.addStretch(1)
        box.addLayout(tools)
        self.grid_hint = QLabel()
        self.grid_hint.setObjectName("hint_grid")
        self.grid_hint.setStyleSheet(f"color: {RED_TEXT}; font-weight: bold;")
        self.grid_hint.setWordWrap(True)
        box.addWidget(self.grid_hint)
        if record:
            for v in record.variants:
                if not v.archived:
                    self._add_row(v, v.options)
        else:
            self._add_row(None, (), price=price)
        self.table.itemChanged.connect(self._price_typed)
        return holder

    def _price_typed(self, item: QTableWidgetItem) -> None:
        """The first price typed goes to the new rows that have none yet: sizes usually
        cost the same, and a blank price would mean "priced at the sale"."""
        if item.column() != _COL["price"] or not item.text().strip():
            return
        self.table.blockSignals(True)
        try:
            for r in range(self.table.rowCount()):
                other = self.table.item(r, _COL["price"])
                if self._ids[r] is None and other is not None and not other.text().strip():
                    other.setText(item.text().strip())
        finally:
            self.table.blockSignals(False)

    def _add_row(
        self,
        v: products.VariantRecord | None,
        options: tuple[tuple[str, str], ...],
        *,
        price: int | None = None,
    ) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self._ids.append(v.id if v else None)
        self._on_hand.append(v.on_hand if v else 0)

        def money(cents: int | None) -> str:
            return format_money(cents, self.currency) if cents is not None else ""

        text = {
            "options": " / ".join(f"{n}: {val}" for n, val in options),
            "sku": v.sku if v else products.suggest_sku(self.name.text(), [o for _, o in options]),
            "barcode": (v.barcode or "") if v else "",
            "price": money(v.price_cents if v else price),
            "cost": money(v.cost_cents) if v else "",
            "quantity": str(v.on_hand) if v else "",
            "edition_size": str(v.edition_size or "") if v else "",
            "per_order_limit": str(v.per_order_limit or "") if v else "",
            "per_person_limit": str(v.per_person_limit or "") if v else "",
            "components": ", ".join(f"{s} x{q}" for s, q in v.parts) if v else "",
        }
        for name, col in _COL.items():
            # Options name the row; stock of a saved variant changes by count-in or adjust.
            editable = name != "options" and not (v is not None and name == "quantity")
            item = _cell(text[name], editable=editable)
            if name == "options":
                item.setData(Qt.ItemDataRole.UserRole, options)
            if v is not None and name == "quantity":
                item.setToolTip("Change stock with Count in or Adjust in the catalog")
            self.table.setItem(r, col, item)

    def _remove_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            del self._ids[r]
            del self._on_hand[r]

    def make_variants(self) -> None:
        """A row for each combination of the option values not already in the grid."""
        axes: list[list[tuple[str, str]]] = []
        for name, vals in zip(self.option_names, self.option_values, strict=True):
            values = [x.strip() for x in vals.text().split(",") if x.strip()]
            if values:
                label = name.text().strip() or ("Size" if not axes else "Option")
                axes.append([(label, x) for x in values])
        if not axes:
            self._hint("options", "Type option values first, such as S, M, L")
            return
        have = {self._options(r) for r in range(self.table.rowCount())}
        price = self._first_price()
        # A lone blank row (a new product) gives way to the real variants.
        if self.table.rowCount() == 1 and not self._options(0) and self._ids[0] is None:
            self.table.removeRow(0)
            self._ids.clear()
            self._on_hand.clear()
        for combo in itertools.product(*axes):
            if tuple(combo) not in have:
                self._add_row(None, tuple(combo), price=price)

    def _first_price(self) -> int | None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, _COL["price"])
            if item and item.text().strip():
                try:
                    return parse_amount(item.text(), self.currency)
                except PosError:
                    return None
        return None

    def _options(self, r: int) -> tuple[tuple[str, str], ...]:
        item = self.table.item(r, _COL["options"])
        data = item.data(Qt.ItemDataRole.UserRole) if item else None
        return tuple((str(n), str(v)) for n, v in data) if data else ()

    def _resuggest(self, name: str) -> None:
        """New rows whose SKU is still the suggestion follow the name as it is typed."""
        for r in range(self.table.rowCount()):
            values = [v for _n, v in self._options(r)]
            item = self.table.item(r, _COL["sku"])
            if (
                self._ids[r] is None
                and item is not None
                and item.text() in ("", products.suggest_sku(self._last_name, values))
            ):
                item.setText(products.suggest_sku(name, values) if name.strip() else "")
        self._last_name = name

    def _kind_changed(self, kind: str) -> None:
        self.kind_box.setVisible(kind in ("experience", "digital"))
        self.kind_box.setTitle("Digital item" if kind == "digital" else "Experience")
        for holder in self._experience_fields:
            holder.setVisible(kind == "experience")
            label = self._experience_form.labelForField(holder)
            if label is not None:
                label.setVisible(kind == "experience")
        self.digital_note.setVisible(kind == "digital")

    # ---- saving -------------------------------------------------------------------------

    def _text(self, r: int, name: str) -> str:
        item = self.table.item(r, _COL[name])
        return item.text().strip() if item else ""

    def _variant(self, r: int) -> VariantDraft:
        def money(name: str) -> int | None:
            text = self._text(r, name)
            try:
                return parse_amount(text, self.currency, what=name) if text else None
            except PosError as exc:
                raise ProductError([Problem(name, str(exc), r)]) from None

        def whole(name: str) -> int | None:
            try:
                return _whole(self._text(r, name), WORDS.get(name, name))
            except ProductError as exc:
                raise ProductError([Problem(name, exc.problems[0].message, r)]) from None

        try:
            parts = parse_parts(self._text(r, "components"))
        except ProductError as exc:
            raise ProductError([Problem("components", exc.problems[0].message, r)]) from None
        vid = self._ids[r]
        return VariantDraft(
            sku=self._text(r, "sku"),
            options=self._options(r),
            price_cents=money("price"),
            id=vid,
            barcode=self._text(r, "barcode") or None,
            cost_cents=money("cost"),
            stock=whole("quantity") if vid is None else None,
            edition_size=whole("edition_size"),
            per_order_limit=whole("per_order_limit"),
            per_person_limit=whole("per_person_limit"),
            low_stock_at=self._kept[vid].low_stock_at if vid in self._kept else None,
            parts=parts,
        )

    def draft(self) -> ProductDraft:
        """What the form says, as the service takes it; bad numbers raise ProductError."""
        share = self.share.text().strip()
        try:
            share_ppm = parse_percent(share, what="the owner's share") if share else None
        except PosError as exc:
            raise ProductError([Problem("owner_share", str(exc))]) from None
        experience = self.kind.currentText() == "experience"
        tax = self.tax.currentText() if self.tax.currentIndex() > 0 else None
        return ProductDraft(
            name=self.name.text(),
            kind=self.kind.currentText(),
            category=self.category.currentText().strip() or None,
            owner=self.owner.currentText().strip() or None,
            owner_share_ppm=share_ppm,
            tax_class=tax,
            time_minutes=_whole(self.minutes.text(), "time_minutes") if experience else None,
            capacity=_whole(self.capacity.text(), "capacity") if experience else None,
            slots=(self.slots.text().strip() or None) if experience else None,
            personalisation_prompt=(self.prompt.text().strip() or None) if experience else None,
            # Not on this form (a file import sets it): kept as it was.
            description=self.record.description if self.record else None,
            variants=tuple(self._variant(r) for r in range(self.table.rowCount())),
        )

    def _clear_hints(self) -> None:
        for hint in self._hints.values():
            hint.hide()
        self.grid_hint.setText("")
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setBackground(QBrush())

    def _hint(self, key: str, text: str) -> None:
        hint = self._hints.get(key)
        if hint is not None:
            hint.setText(text)
            hint.show()
        else:
            self.grid_hint.setText(text)

    def show_problems(self, problems: list[Problem]) -> None:
        """Each problem beside its field; a variant's in its grid cell and under the grid."""
        self._clear_hints()
        grid: list[str] = []
        for p in problems:
            if p.row is None and p.column in self._hints:
                self._hint(p.column, p.message)
                continue
            if p.row is not None and 0 <= p.row < self.table.rowCount():
                col = _COL.get(p.column, _COL["sku"])
                item = self.table.item(p.row, col)
                if item is not None:
                    item.setBackground(QBrush(QColor(BAD_CELL)))
                    item.setToolTip(p.message)
                sku = self._text(p.row, "sku") or f"row {p.row + 1}"
                grid.append(f"{sku}: {p.message}")
            else:
                grid.append(p.message)
        self.grid_hint.setText("\n".join(grid))
        _say(self.notice, str(problems[0]) if problems else "")

    def save(self) -> None:
        try:
            draft = self.draft()
            self.saved = products.save(self.uow, draft, original=self.record, actor=self.actor)
        except ProductError as exc:
            self.show_problems(exc.problems)
            return
        except PosError as exc:
            _say(self.notice, str(exc))
            return
        self.accept()
