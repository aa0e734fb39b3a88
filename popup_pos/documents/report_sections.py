"""The report's later sections: profit, experiences, customers, settlement and stock."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import (
    KeepTogether,
    Spacer,
)

from popup_pos.documents.report_style import (
    BASE,
    BOLD,
    H2,
    KIND_NAMES,
    NOTE,
    Kit,
    difference,
)
from popup_pos.domain.money import format_percent
from popup_pos.domain.report import (
    ExperienceRow,
    ProfitRow,
    minutes_text,
    repeat_text,
)


class LaterSections(Kit):
    """Profit, experiences, customers, settlement and stock, as flowables."""

    def _profit_cells(self, r: ProfitRow, label: Any) -> list[Any]:
        unknown = "unknown"
        return [
            label,
            KIND_NAMES.get(r.kind, r.kind),
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
            self.p("Profit by item", H2),
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
            *(self.p(n, NOTE) for n in notes),
        ]  # fmt: skip

    def _experience_cells(self, g: ExperienceRow, label: Any, mixed: bool = False) -> list[Any]:
        def pair(mean: float | None, p90: float | None) -> str:
            if mean is None:
                return "—"
            return f"{mean:.1f} / {p90:.1f}" if p90 is not None else f"{mean:.1f}"

        known = g.experience_minutes is not None
        return [
            label,
            f"{g.units:,}",
            f"{g.done:,}",
            f"{g.no_show:,}",
            f"{g.waiting:,}",
            pair(g.fulfil_mean_min, g.fulfil_p90_min),
            pair(g.wait_mean_min, g.wait_p90_min),
            minutes_text(g.experience_minutes),
            ("partly\nplanned" if mixed else "planned" if g.planned else "measured")
            if known
            else "—",
            "—" if g.revenue_per_hour is None else self.m(g.revenue_per_hour),
        ]

    def experience_times(self) -> list[Any]:
        gg = self.r.experience_times
        if not gg.rows:
            return []
        body = [self._experience_cells(g, self.p(g.label)) for g in gg.rows]
        body.append(self._experience_cells(gg.total, "All experiences", gg.partly_planned))
        note = (
            "Fulfilment: called to done, of tickets done; wait: paid to called. Minutes, "
            "mean / 90th percentile. Experience time is the measured fulfilment of the tickets "
            "done, or, while none is done, the planned time per unit times the units sold; "
            "revenue per hour of experience time is the experience's revenue (net of tax and "
            "refunds) over it."
        )
        return [
            KeepTogether(
                [
                    self.p("Experiences: fulfilment and revenue per hour", H2),
                    self.table(
                        ("Experience", "Sold", "Done", "No-show", "Waiting",
                         "Fulfil, min\nmean / p90", "Wait, min\nmean / p90", "Experience\ntime",
                         "Basis", "Revenue\nper hour"),
                        body,
                        (0.2, 0.06, 0.06, 0.08, 0.075, 0.115, 0.115, 0.09, 0.095, 0.11),
                        total_row=True,
                        fit=True,
                    ),
                    Spacer(1, 2),
                    self.p(note, NOTE),
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
                    self.p("Repeat customers", H2),
                    self.pairs(rows, self.half),
                    Spacer(1, 2),
                    self.p(note, NOTE),
                ]
            )
        ]

    def settlement(self) -> list[Any]:
        s = self.r.settlement
        out: list[Any] = [self.p("Settlement", H2)]
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
                self.p(f"Venue cut, on {basis}", BASE),
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
            self.p("Who is owed what", BOLD),
            Spacer(1, 2),
            self.pairs(who + org, self.half, ("Organizer keeps",)),
        ]
        right = [
            self.p("Who holds the money", BOLD),
            Spacer(1, 2),
            self.pairs(holds, self.half, ("Held in all",)),
        ]
        out.append(KeepTogether([self.two_columns(left, right)]))
        for note in s.notes:
            out += [Spacer(1, 2), self.p(note, NOTE)]
        return out

    def stock(self) -> list[Any]:
        counted = [s for s in self.r.stock if s.counted_out is not None]
        if not counted:
            return []
        rows = [
            [self.p(s.label), f"{s.expected}", f"{s.counted_out}", difference(s.shrinkage)]
            for s in counted
        ]
        missing = sum(max(s.shrinkage, 0) for s in counted)
        extra = sum(max(-s.shrinkage, 0) for s in counted)
        note = f"{missing} unit(s) missing, {extra} more found than expected."
        return [
            self.p("Stock count-out", H2),
            self.table(("Item", "Expected", "Counted", "Difference"), rows, (0.5, 0.15, 0.15, 0.2)),
            Spacer(1, 2),
            self.p(note, NOTE),
        ]
