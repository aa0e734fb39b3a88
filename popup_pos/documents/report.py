"""The end-of-night report as a PDF an organizer can hand to a venue: totals, charts, settlement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from popup_pos.documents.common import printable, write_pdf
from popup_pos.domain.money import exponent, format_money, format_percent
from popup_pos.domain.report import (
    NO_STAFF,
    GigRow,
    ProfitRow,
    Report,
    SalesRow,
    minutes_text,
    repeat_text,
)

# Letter where the currency says North America, A4 everywhere else.
LETTER_CURRENCIES = frozenset({"USD", "CAD", "MXN"})

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6470")
RULE = colors.HexColor("#c9ced6")
BAND = colors.HexColor("#f1f3f6")
ACCENT = colors.HexColor("#2f6fd0")
WARN = colors.HexColor("#b3261e")

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=11.5, textColor=INK)
_TITLE = ParagraphStyle("title", parent=_BASE, fontName="Helvetica-Bold", fontSize=18, leading=22)
_SUB = ParagraphStyle("sub", parent=_BASE, textColor=MUTED, fontSize=9.5, leading=12)
_H2 = ParagraphStyle(
    "h2", parent=_BASE, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8,
    spaceAfter=4,
)  # fmt: skip
_NOTE = ParagraphStyle("note", parent=_BASE, fontSize=8, leading=10, textColor=MUTED)
_BIG = ParagraphStyle("big", parent=_BASE, fontName="Helvetica-Bold", fontSize=15, leading=18)
_BIG_LABEL = ParagraphStyle("biglabel", parent=_BASE, fontSize=8, textColor=MUTED)
_BOLD = ParagraphStyle("bold", parent=_BASE, fontName="Helvetica-Bold", fontSize=9.5)


def write_report_pdf(out: str | Path, report: Report) -> Path:
    """Draw the report and write it to `out` (replaced whole once drawn); its path."""
    write_pdf(render_report_pdf(report), out)
    return Path(out)


def render_report_pdf(report: Report) -> bytes:
    e = report.event
    size = LETTER if e.currency in LETTER_CURRENCIES else A4
    buf = BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=size,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=printable(f"{e.name} — end of night report"),
        author="popup-pos",
    )
    d = _Draw(report, doc.width)
    story: list[Any] = [*d.heading(), *d.key_figures(), *d.sales_and_cash(), *d.hours_chart()]
    story += d.tenders()
    story.append(CondPageBreak(70 * mm))
    story += d.sellers()
    story += d.editions()
    story += d.service()
    story.append(CondPageBreak(80 * mm))
    story += d.profit()
    story += d.gigs()
    story += d.customers()
    story.append(CondPageBreak(90 * mm))
    story += d.settlement()
    story += d.stock()
    footer = printable(f"{e.name} · popup-pos · generated {d.when(report.generated_at, True)}")

    def page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(16 * mm, 10 * mm, footer)
        canvas.drawRightString(size[0] - 16 * mm, 10 * mm, f"page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=page, onLaterPages=page)
    return buf.getvalue()


class _Draw:
    """The report's sections as flowables."""

    def __init__(self, report: Report, width: float) -> None:
        self.r = report
        # The frame keeps 6 pt of padding on each side of the page's text width.
        self.width = width - 12
        self.gap = 8 * mm
        self.half = (self.width - self.gap) / 2
        self.cur = report.event.currency

    # ---- formatting -------------------------------------------------------------------

    def m(self, amount: int | None) -> str:
        return "—" if amount is None else format_money(amount, self.cur)

    def when(self, at: datetime | None, date: bool = False) -> str:
        if at is None:
            return "—"
        local = at.astimezone(self.r.event.tz)
        return local.strftime("%a %d %b %Y %H:%M" if date else "%H:%M")

    @staticmethod
    def dur(seconds: float | None) -> str:
        if seconds is None:
            return "—"
        s = round(seconds)
        if s < 60:
            return f"{s} s"
        if s < 3600:
            return f"{s // 60} min {s % 60:02d} s"
        return f"{s // 3600} h {s % 3600 // 60:02d} min"

    @staticmethod
    def p(text: str, style: ParagraphStyle = _BASE) -> Paragraph:
        # Paragraph text is markup: escape what the organizer typed.
        safe = printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(safe, style)

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        right_from: int = 1,
        total_row: bool = False,
        fit: bool = False,
    ) -> Table:
        """A ruled table; columns from `right_from` on are right-aligned (numbers).

        With `fit`, the body's type shrinks until its widest figure fits its column.
        """
        data = [[printable(str(h)) for h in head]] + [
            [c if isinstance(c, Paragraph) else printable(str(c)) for c in row] for row in rows
        ]
        cols = [w * self.width for w in widths]
        size = _fitting_size(data[1:], cols, 8.5, bold_last=total_row) if fit else 8.5
        t = Table(data, colWidths=cols, repeatRows=1)
        style = [
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
            ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
            ("FONT", (0, 1), (-1, -1), "Helvetica", size),
            ("TEXTCOLOR", (0, 1), (-1, -1), INK),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("ALIGN", (right_from, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if total_row and rows:
            style += [
                ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", size),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
            ]
        t.setStyle(TableStyle(style))
        return t

    def pairs(
        self, rows: Sequence[tuple[str, str]], width: float, bold: Sequence[str] = ()
    ) -> Table:
        """A label/value list `width` wide, values right-aligned, `bold` labels emphasised."""
        data = [[self.p(a, _BOLD if a in bold else _BASE), printable(b)] for a, b in rows]
        t = Table(data, colWidths=[width * 0.66, width * 0.34], hAlign="LEFT")
        style = [
            ("FONT", (1, 0), (1, -1), "Helvetica", 9),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
        for i, (label, _) in enumerate(rows):
            if label in bold:
                style.append(("FONT", (1, i), (1, i), "Helvetica-Bold", 9.5))
            if label == "Short":
                style.append(("TEXTCOLOR", (1, i), (1, i), WARN))
        t.setStyle(TableStyle(style))
        return t

    def two_columns(self, left: list[Any], right: list[Any]) -> Table:
        outer = Table([[left, "", right]], colWidths=[self.half, self.gap, self.half])
        outer.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return outer

    # ---- sections --------------------------------------------------------------------

    def heading(self) -> list[Any]:
        e = self.r.event
        offset = e.opened_at.astimezone(e.tz).strftime("%z")
        closed = f"closed {self.when(e.closed_at, True)}" if e.closed_at else "still open"
        sub = (
            f"Opened {self.when(e.opened_at, True)} · {closed} · times in UTC"
            f"{offset[:3]}:{offset[3:]} · {e.currency} · event {e.id}"
        )
        head = []
        if self.r.audit_head:
            # Printed, it is an anchor no one can rewrite with the database.
            head = [Spacer(1, 1), self.p(f"Audit head at close: {self.r.audit_head}", _SUB)]
        return [
            self.p(f"{e.name} — end of night", _TITLE),
            Spacer(1, 2),
            self.p(sub, _SUB),
            *head,
            Spacer(1, 8),
        ]

    def key_figures(self) -> list[Any]:
        t = self.r.totals
        pt = self.r.pay_time
        cells = [
            ("Net takings", self.m(t.net)),
            ("Orders", f"{t.orders:,}"),
            ("Average order", self.m(t.average_order)),
            ("Items sold", f"{t.units:,}"),
            ("Order to paid (median)", self.dur(pt.median_s)),
        ]
        row1 = [self.p(v, _BIG) for _, v in cells]
        row2 = [self.p(label, _BIG_LABEL) for label, _ in cells]
        box = Table([row1, row2], colWidths=[self.width / len(cells)] * len(cells))
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), BAND),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, 0), 7),
                    ("BOTTOMPADDING", (0, 1), (-1, 1), 7),
                    ("LINEBEFORE", (1, 0), (-1, -1), 0.6, colors.white),
                ]
            )
        )
        return [box, Spacer(1, 6)]

    def sales_and_cash(self) -> list[Any]:
        t, c = self.r.totals, self.r.cash
        sales = [
            ("Gross sales", self.m(t.gross)),
            ("Discounts", self.m(-t.discounts)),
            ("Tax" + (" (part in prices)" if t.tax_included else ""), self.m(t.tax)),
            ("Tips", self.m(t.tips)),
            ("Charged", self.m(t.charged)),
            ("Refunds", self.m(-t.refunds)),
            ("Net", self.m(t.net)),
            ("Card fees (Stripe)", self.m(-t.fees)),
            ("Net after fees", self.m(t.net_after_fees)),
        ]
        if t.deposits:
            sales.append(("Paid on orders awaiting payment", self.m(t.deposits)))
        cash = [
            ("Float", self.m(c.float_cents)),
            ("Cash sales", self.m(c.cash_sales)),
            ("Cash refunds", self.m(-c.cash_refunds)),
            ("Paid in", self.m(c.paid_in)),
            ("Paid out", self.m(-c.paid_out)),
            ("Expected in the drawer", self.m(c.expected)),
            ("Counted", self.m(c.counted)),
        ]
        diff = c.over_short
        if diff is not None:
            word = "Over" if diff > 0 else "Short" if diff < 0 else "Exact"
            cash.append((word, self.m(abs(diff))))
        left = [self.p("Sales", _H2), self.pairs(sales, self.half, ("Net", "Net after fees"))]
        right: list[Any] = [
            self.p("Cash-up", _H2),
            self.pairs(
                cash, self.half, ("Expected in the drawer", "Counted", "Over", "Short", "Exact")
            ),
        ]
        if c.denominations:
            exp = exponent(self.cur)
            parts = [f"{n} × {_plain(value, exp)}" for value, n in c.denominations if n]
            right += [Spacer(1, 3), self.p("Counted: " + ", ".join(parts), _NOTE)]
        if self.r.carried_over:
            right += [
                Spacer(1, 3),
                self.p(
                    "Carried over, still awaiting payment: " + ", ".join(self.r.carried_over),
                    _NOTE,
                ),
            ]
        return [self.two_columns(left, right)]

    def hours_chart(self) -> list[Any]:
        hours = self.r.hours
        if not hours:
            return [self.p("Takings by hour", _H2), self.p("No sales yet.", _NOTE)]
        exp = exponent(self.cur)
        unit = 10**exp
        height = 58 * mm
        drawing = Drawing(self.width, height)
        chart = VerticalBarChart()
        chart.x, chart.y = 34, 26
        chart.width, chart.height = self.width - 44, height - 44
        # Whole currency units on the axis: the chart only needs to show proportions.
        values = [h.total // unit for h in hours]
        chart.data = [values]
        chart.categoryAxis.categoryNames = [
            h.start.astimezone(self.r.event.tz).strftime("%H:00") for h in hours
        ]
        chart.categoryAxis.labels.fontName = "Helvetica"
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.fillColor = MUTED
        chart.categoryAxis.strokeColor = RULE
        if len(hours) > 16:
            chart.categoryAxis.labels.angle = 45
            chart.categoryAxis.labels.boxAnchor = "ne"
        top = max(values) or 1
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = _nice_ceiling(top * 1.15)
        chart.valueAxis.valueStep = _nice_ceiling(chart.valueAxis.valueMax / 4)
        chart.valueAxis.labels.fontName = "Helvetica"
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labels.fillColor = MUTED
        chart.valueAxis.strokeColor = RULE
        chart.valueAxis.gridStrokeColor = BAND
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.labelTextFormat = lambda v: f"{int(v):,}"
        chart.bars[0].fillColor = ACCENT
        chart.bars[0].strokeColor = None
        chart.barSpacing = 1
        chart.groupSpacing = 6 if len(hours) < 12 else 3
        # Orders in each hour above its bar, so the chart shows takings and pace at once.
        chart.barLabelFormat = None
        drawing.add(chart)
        step = chart.width / len(hours)
        for i, h in enumerate(hours):
            if not h.orders:
                continue
            x = chart.x + step * (i + 0.5)
            y = chart.y + chart.height * values[i] / chart.valueAxis.valueMax + 3
            drawing.add(
                String(x, y, str(h.orders), fontName="Helvetica", fontSize=6.5, fillColor=MUTED,
                       textAnchor="middle")
            )  # fmt: skip
        drawing.add(
            String(0, height - 8, f"{self.cur} per hour (bars); orders paid in the hour (numbers)",
                   fontName="Helvetica", fontSize=7, fillColor=MUTED)
        )  # fmt: skip
        per_hour = self.r.orders_per_hour
        note = (
            f"{per_hour:.1f} orders an hour on average from the first sale to the last."
            if per_hour is not None
            else ""
        )
        return [
            KeepTogether([self.p("Takings by hour", _H2), drawing, self.p(note, _NOTE)]),
        ]

    def tenders(self) -> list[Any]:
        rows: list[list[Any]] = [
            [_TENDER_NAMES.get(t.tender, t.tender), f"{t.payments:,}", self.m(t.amount),
             self.m(-t.refunds), self.m(-t.fees), self.m(t.net - t.fees)]
            for t in self.r.tenders
        ]  # fmt: skip
        if not rows:
            return []
        tr = self.r.tenders
        rows.append(
            ["Total", f"{sum(t.payments for t in tr):,}", self.m(sum(t.amount for t in tr)),
             self.m(-sum(t.refunds for t in tr)), self.m(-sum(t.fees for t in tr)),
             self.m(sum(t.net - t.fees for t in tr))]
        )  # fmt: skip
        return [
            KeepTogether(
                [
                    self.p("By tender", _H2),
                    self.table(
                        ("Tender", "Payments", "Taken", "Refunded", "Fees", "Kept"),
                        rows,
                        (0.3, 0.12, 0.15, 0.15, 0.13, 0.15),
                        total_row=True,
                    ),
                ]
            )
        ]

    def _sales_table(self, title: str, rows: Sequence[SalesRow], first: str) -> list[Any]:
        if not rows:
            return []
        body = [
            [self.p(r.label), f"{r.units - r.refunded_units:,}", self.m(r.gross),
             self.m(-r.discounts), self.m(-r.refunds), self.m(r.net)]
            for r in rows
        ]  # fmt: skip
        return [
            self.p(title, _H2),
            self.table(
                (first, "Units", "Gross", "Discounts", "Refunds", "Net"),
                body,
                (0.4, 0.1, 0.125, 0.125, 0.125, 0.125),
            ),
        ]

    def sellers(self) -> list[Any]:
        out: list[Any] = []
        out += self._sales_table("Top sellers", self.r.top_sellers, "Item")
        out += self._sales_table("By category", self.r.categories, "Category")
        out += self._sales_table("By co-seller", self.r.owners, "Owner")
        groups = [("Register " + g.label, g) for g in self.r.registers]
        # Staff only once sellers sign in: otherwise every order is "no staff member".
        if any(g.label != NO_STAFF for g in self.r.staff):
            groups += [(g.label, g) for g in self.r.staff]
        if groups:
            out += [
                self.p("By register and staff", _H2),
                self.table(
                    ("Register / staff", "Orders", "Taken", "Refunded"),
                    [[label, f"{g.orders:,}", self.m(g.total), self.m(-g.refunds)]
                     for label, g in groups],
                    (0.46, 0.18, 0.18, 0.18),
                ),
            ]  # fmt: skip
        return out

    def editions(self) -> list[Any]:
        out: list[Any] = []
        if self.r.editions:
            rows = []
            for ed in self.r.editions:
                gone = (
                    f"#1–{ed.edition_size} sold out at {self.when(ed.sold_out_at)}"
                    if ed.sold_out_at
                    else f"{ed.on_hand} left"
                )
                rows.append(
                    [self.p(ed.label), f"{ed.edition_size}", f"{ed.sold:,}",
                     f"{ed.numbered} ({format_percent(ed.sell_through_ppm)})", gone]
                )  # fmt: skip
            out += [
                self.p("Limited editions", _H2),
                self.table(
                    ("Edition", "Size", "Sold tonight", "Numbered so far", "Now"),
                    rows,
                    (0.34, 0.1, 0.14, 0.18, 0.24),
                ),
            ]
        others = [s for s in self.r.sold_out if s.sku not in {e.sku for e in self.r.editions}]
        if others:
            text = "; ".join(f"{s.label} at {self.when(s.at)}" for s in others)
            out += [Spacer(1, 4), self.p(f"Sold out: {text}.", _BASE)]
        return out

    def service(self) -> list[Any]:
        pt, ex = self.r.pay_time, self.r.experiences
        rows = [
            ("Order started to paid: average", self.dur(pt.average_s)),
            ("Order started to paid: median", self.dur(pt.median_s)),
            ("Order started to paid: longest", self.dur(pt.max_s)),
        ]
        if ex.units or ex.tickets:
            rows += [
                ("Micro-gigs sold", f"{ex.units:,}"),
                ("Micro-gig revenue", self.m(ex.revenue)),
            ]
            if ex.tickets:
                rows += [
                    ("Queue tickets (done / no-show / waiting)",
                     f"{ex.done} / {ex.no_show} / {ex.waiting}"),
                    ("Wait to be called (average)", self.dur(ex.average_wait_s)),
                    ("Ticket to done (average)", self.dur(ex.average_fulfil_s)),
                ]  # fmt: skip
        t = self.pairs(rows, self.half)
        return [KeepTogether([self.p("Service", _H2), t])]

    def _profit_cells(self, r: ProfitRow, label: Any) -> list[Any]:
        unknown = "unknown"
        return [
            label,
            _KIND_NAMES.get(r.kind, r.kind),
            f"{r.units:,}",
            self.m(r.revenue),
            unknown if r.cost is None else self.m(-r.cost),
            self.m(-r.fees),
            self.m(-r.venue_cut),
            unknown if r.profit is None else self.m(r.profit),
            unknown if r.profit_per_unit is None else self.m(r.profit_per_unit),
        ]

    def profit(self) -> list[Any]:
        pr = self.r.profit
        if not pr.rows:
            return []
        body = [self._profit_cells(r, self.p(r.label)) for r in pr.rows]
        body.append(self._profit_cells(pr.total, "Total"))
        notes = [
            "Revenue is what the lines charged less tax and refunds; cost is the cost at sale "
            "of the units kept (unknown where an item has none, so its profit is unknown); card "
            "fees are each order's Stripe fees shared over its lines; the venue's cut is the "
            "settlement's, shared over the items it was taken on. Most profitable first."
        ]
        if pr.other_fees:
            notes.append(
                f"Card fees of orders with nothing kept (refunded in full, cancelled or unpaid), "
                f"not in the table: {self.m(pr.other_fees)}."
            )
        return [
            self.p("Profit by item", _H2),
            self.table(
                ("Item", "Kind", "Units", "Revenue", "Cost", "Card fees", "Venue cut", "Profit",
                 "Per unit"),
                body,
                (0.21, 0.08, 0.065, 0.12, 0.105, 0.1, 0.1, 0.115, 0.105),
                right_from=2,
                total_row=True,
                fit=True,
            ),
            Spacer(1, 2),
            *(self.p(n, _NOTE) for n in notes),
        ]  # fmt: skip

    def _gig_cells(self, g: GigRow, label: Any, mixed: bool = False) -> list[Any]:
        def pair(mean: float | None, p90: float | None) -> str:
            if mean is None:
                return "—"
            return f"{mean:.1f} / {p90:.1f}" if p90 is not None else f"{mean:.1f}"

        known = g.gig_minutes is not None
        return [
            label,
            f"{g.units:,}",
            f"{g.done:,}",
            f"{g.no_show:,}",
            f"{g.waiting:,}",
            pair(g.fulfil_mean_min, g.fulfil_p90_min),
            pair(g.wait_mean_min, g.wait_p90_min),
            minutes_text(g.gig_minutes),
            ("partly\nplanned" if mixed else "planned" if g.planned else "measured")
            if known
            else "—",
            "—" if g.revenue_per_hour is None else self.m(g.revenue_per_hour),
        ]

    def gigs(self) -> list[Any]:
        gg = self.r.gigs
        if not gg.rows:
            return []
        body = [self._gig_cells(g, self.p(g.label)) for g in gg.rows]
        body.append(self._gig_cells(gg.total, "All micro-gigs", gg.partly_planned))
        note = (
            "Fulfilment: called to done, of tickets done; wait: paid to called. Minutes, "
            "mean / 90th percentile. Gig time is the measured fulfilment of the tickets done, "
            "or, while none is done, the planned time per unit times the units sold; revenue "
            "per hour of gig time is the micro-gig's revenue (net of tax and refunds) over it."
        )
        return [
            KeepTogether(
                [
                    self.p("Micro-gigs: fulfilment and revenue per hour", _H2),
                    self.table(
                        ("Micro-gig", "Sold", "Done", "No-show", "Waiting",
                         "Fulfil, min\nmean / p90", "Wait, min\nmean / p90", "Gig time",
                         "Basis", "Revenue\nper hour"),
                        body,
                        (0.2, 0.06, 0.06, 0.08, 0.075, 0.115, 0.115, 0.09, 0.095, 0.11),
                        total_row=True,
                        fit=True,
                    ),
                    Spacer(1, 2),
                    self.p(note, _NOTE),
                ]
            )
        ]  # fmt: skip

    def customers(self) -> list[Any]:
        c = self.r.customers
        if not c.orders:
            return []
        rows = [
            ("Customers who gave a handle", f"{c.identified:,}"),
            (
                "Repeat rate: customers with 2 or more orders",
                repeat_text(c.repeat, c.identified, c.repeat_rate_ppm),
            ),
            (
                "Orders with a customer handle",
                repeat_text(c.orders_with_handle, c.orders, c.handle_share_ppm),
            ),
        ]
        note = (
            "Customers are told apart by their handle, kept only as a hash for this event; "
            "orders refunded in full or cancelled do not count."
        )
        return [
            KeepTogether(
                [
                    self.p("Repeat customers", _H2),
                    self.pairs(rows, self.half),
                    Spacer(1, 2),
                    self.p(note, _NOTE),
                ]
            )
        ]

    def settlement(self) -> list[Any]:
        s = self.r.settlement
        out: list[Any] = [self.p("Settlement", _H2)]
        basis = "gross sales (tax included)" if s.terms.on == "gross" else "sales net of tax"
        if s.terms.card_fees_first:
            basis += ", after card fees"
        if s.venue:
            rows: list[list[Any]] = [
                [v.cls, self.m(v.sales), self.m(v.base), format_percent(v.cut_ppm), self.m(v.cut)]
                for v in s.venue
            ]
            rows.append(["Venue total", "", "", "", self.m(s.venue_total)])
            out += [
                self.p(f"Venue cut, on {basis}", _BASE),
                Spacer(1, 2),
                self.table(
                    ("Class", "Sales", "Cut taken on", "Rate", "Venue's cut"),
                    rows,
                    (0.3, 0.175, 0.175, 0.175, 0.175),
                    total_row=True,
                ),
                Spacer(1, 6),
            ]
        owner_rows = [
            [self.p(o.owner or "Organizer (own items)"), self.m(o.sales), self.m(-o.tax),
             self.m(-o.fees), self.m(-o.venue_cut),
             self.m(o.owed) if o.owner is not None else self.m(o.after_costs)]
            for o in s.owners
        ]  # fmt: skip
        if owner_rows:
            out += [
                self.table(
                    ("Items of", "Sales", "Tax", "Card fees", "Venue cut", "Owed / kept"),
                    owner_rows,
                    (0.3, 0.14, 0.14, 0.14, 0.14, 0.14),
                ),
                Spacer(1, 6),
            ]
        kept_share = sum(o.organizer_part for o in s.owners if o.owner is not None)
        who = [("Venue", self.m(s.venue_total))] if s.venue else []
        who += [(o.owner, self.m(o.owed)) for o in s.owners if o.owner is not None]
        if s.tax:
            who.append(("Tax collected (to pay on)", self.m(s.tax)))
        org = [
            ("Organizer's own items", self.m(o.after_costs)) for o in s.owners if o.owner is None
        ]
        if kept_share:
            org.append(("Kept of co-sellers' items", self.m(kept_share)))
        if s.tips:
            org.append(("Tips", self.m(s.tips)))
        if s.unattached_refunds:
            org.append(("Refunds not tied to an item", self.m(-s.unattached_refunds)))
        if s.deposits:
            org.append(("Paid on orders awaiting payment", self.m(s.deposits)))
        org.append(("Organizer keeps", self.m(s.organizer_total)))
        holds = [(h.holder + " (" + h.tenders + ")", self.m(h.amount)) for h in s.holdings]
        holds.append(("Held in all", self.m(s.held)))
        left = [
            self.p("Who is owed what", _BOLD),
            Spacer(1, 2),
            self.pairs(who + org, self.half, ("Organizer keeps",)),
        ]
        right = [
            self.p("Who holds the money", _BOLD),
            Spacer(1, 2),
            self.pairs(holds, self.half, ("Held in all",)),
        ]
        out.append(KeepTogether([self.two_columns(left, right)]))
        for note in s.notes:
            out += [Spacer(1, 2), self.p(note, _NOTE)]
        return out

    def stock(self) -> list[Any]:
        counted = [s for s in self.r.stock if s.counted_out is not None]
        if not counted:
            return []
        rows = [
            [self.p(s.label), f"{s.expected}", f"{s.counted_out}", _difference(s.shrinkage)]
            for s in counted
        ]
        missing = sum(max(s.shrinkage, 0) for s in counted)
        extra = sum(max(-s.shrinkage, 0) for s in counted)
        note = f"{missing} unit(s) missing, {extra} more found than expected."
        return [
            self.p("Stock count-out", _H2),
            self.table(("Item", "Expected", "Counted", "Difference"), rows, (0.5, 0.15, 0.15, 0.2)),
            Spacer(1, 2),
            self.p(note, _NOTE),
        ]


_TENDER_NAMES = {
    "cash": "Cash",
    "wallet": "Wallet QR (Venmo, Cash App, PayPal)",
    "stripe_qr": "Stripe QR",
    "stripe_card": "Stripe card reader",
}


_KIND_NAMES = {"item": "item", "digital": "digital", "experience": "micro-gig", "": ""}


def _fitting_size(
    rows: Sequence[Sequence[Any]], widths: Sequence[float], size: float, *, bold_last: bool
) -> float:
    """The largest type size, from `size` down to 6 pt, at which every plain cell fits
    its column with the table's 3 pt padding on each side (the last row in bold)."""
    cells = [
        (str(c), widths[i], "Helvetica-Bold" if bold_last and r == len(rows) - 1 else "Helvetica")
        for r, row in enumerate(rows)
        for i, c in enumerate(row)
        if not isinstance(c, Paragraph)
    ]
    while size > 6:
        if all(
            stringWidth(line, font, size) + 6 <= w
            for text, w, font in cells
            for line in text.split("\n")
        ):
            return size
        size -= 0.5
    return 6


def _difference(shrinkage: int) -> str:
    if shrinkage > 0:
        return f"{shrinkage} missing"
    if shrinkage < 0:
        return f"{-shrinkage} extra"
    return "—"


def _plain(amount: int, exp: int) -> str:
    whole, frac = divmod(amount, 10**exp)
    return f"{whole}.{frac:0{exp}d}" if frac else str(whole)


def _nice_ceiling(value: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (axis maxima)."""
    if value <= 1:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power
