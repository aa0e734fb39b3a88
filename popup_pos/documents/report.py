"""The end-of-night report as a PDF an organizer can hand to a venue: totals, charts, settlement."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from popup_pos.documents.common import printable, write_pdf
from popup_pos.documents.report_sections import LaterSections
from popup_pos.documents.report_style import (
    ACCENT,
    BAND,
    BASE,
    BIG,
    BIG_LABEL,
    H2,
    LETTER_CURRENCIES,
    MUTED,
    NOTE,
    RULE,
    SUB,
    TENDER_NAMES,
    TITLE,
    nice_ceiling,
    plain,
)
from popup_pos.domain.money import exponent, format_percent
from popup_pos.domain.report import (
    NO_STAFF,
    Report,
    SalesRow,
)


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
    story += d.experience_times()
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


class _Draw(LaterSections):
    """The report's sections as flowables."""

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
            head = [Spacer(1, 1), self.p(f"Audit head at close: {self.r.audit_head}", SUB)]
        return [
            self.p(f"{e.name} — end of night", TITLE),
            Spacer(1, 2),
            self.p(sub, SUB),
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
        row1 = [self.p(v, BIG) for _, v in cells]
        row2 = [self.p(label, BIG_LABEL) for label, _ in cells]
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
            # Who holds what: the phones' cash is counted in once their helpers hand it in.
            *((f"of which with {label}", self.m(cents)) for label, cents in c.held_by_phones),
            ("Counted", self.m(c.counted)),
        ]
        diff = c.over_short
        if diff is not None:
            word = "Over" if diff > 0 else "Short" if diff < 0 else "Exact"
            cash.append((word, self.m(abs(diff))))
        left = [self.p("Sales", H2), self.pairs(sales, self.half, ("Net", "Net after fees"))]
        right: list[Any] = [
            self.p("Cash-up", H2),
            self.pairs(
                cash, self.half, ("Expected in the drawer", "Counted", "Over", "Short", "Exact")
            ),
        ]
        if c.denominations:
            exp = exponent(self.cur)
            parts = [f"{n} × {plain(value, exp)}" for value, n in c.denominations if n]
            right += [Spacer(1, 3), self.p("Counted: " + ", ".join(parts), NOTE)]
        if self.r.carried_over:
            right += [
                Spacer(1, 3),
                self.p(
                    "Carried over, still awaiting payment: " + ", ".join(self.r.carried_over),
                    NOTE,
                ),
            ]
        return [self.two_columns(left, right)]

    def hours_chart(self) -> list[Any]:
        hours = self.r.hours
        if not hours:
            return [self.p("Takings by hour", H2), self.p("No sales yet.", NOTE)]
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
        chart.valueAxis.valueMax = nice_ceiling(top * 1.15)
        chart.valueAxis.valueStep = nice_ceiling(chart.valueAxis.valueMax / 4)
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
            KeepTogether([self.p("Takings by hour", H2), drawing, self.p(note, NOTE)]),
        ]

    def tenders(self) -> list[Any]:
        rows: list[list[Any]] = [
            [TENDER_NAMES.get(t.tender, t.tender), f"{t.payments:,}", self.m(t.amount),
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
                    self.p("By tender", H2),
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
            self.p(title, H2),
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
                self.p("By register and staff", H2),
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
                self.p("Limited editions", H2),
                self.table(
                    ("Edition", "Size", "Sold tonight", "Numbered so far", "Now"),
                    rows,
                    (0.34, 0.1, 0.14, 0.18, 0.24),
                ),
            ]
        others = [s for s in self.r.sold_out if s.sku not in {e.sku for e in self.r.editions}]
        if others:
            text = "; ".join(f"{s.label} at {self.when(s.at)}" for s in others)
            out += [Spacer(1, 4), self.p(f"Sold out: {text}.", BASE)]
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
                ("Experiences sold", f"{ex.units:,}"),
                ("Experience revenue", self.m(ex.revenue)),
            ]
            if ex.tickets:
                rows += [
                    ("Queue tickets (done / no-show / waiting)",
                     f"{ex.done} / {ex.no_show} / {ex.waiting}"),
                    ("Wait to be called (average)", self.dur(ex.average_wait_s)),
                    ("Ticket to done (average)", self.dur(ex.average_fulfil_s)),
                ]  # fmt: skip
        t = self.pairs(rows, self.half)
        return [KeepTogether([self.p("Service", H2), t])]
