"""Settlement: an event's venue terms, read and replaced; the rules are in domain.settlement."""

from __future__ import annotations

from popup_pos.domain.settlement import BASES as BASES
from popup_pos.domain.settlement import HOLDERS as HOLDERS
from popup_pos.domain.settlement import OTHER as OTHER
from popup_pos.domain.settlement import PPM as PPM
from popup_pos.domain.settlement import ItemGroup as ItemGroup
from popup_pos.domain.settlement import SettlementError as SettlementError
from popup_pos.domain.settlement import VenueTerms as VenueTerms
from popup_pos.domain.settlement import check_terms as check_terms
from popup_pos.domain.settlement import compute as compute
from popup_pos.domain.settlement import cut_weight as cut_weight
from popup_pos.domain.settlement import holdings_of as holdings_of
from popup_pos.domain.settlement import terms_from_settings as terms_from_settings
from popup_pos.domain.settlement import terms_to_settings as terms_to_settings
from popup_pos.domain.settlement import venue_cuts as venue_cuts
from popup_pos.services import audit
from popup_pos.services.events import resolve_event
from popup_pos.store import events as events_store
from popup_pos.store.uow import UnitOfWork


def get_terms(uow: UnitOfWork, event: int | str | None = None) -> VenueTerms:
    """The venue terms of an event (default: the open one, else the last closed)."""
    with uow:
        return terms_from_settings(resolve_event(uow, event).settings)


def set_terms(
    uow: UnitOfWork,
    terms: VenueTerms,
    *,
    event: int | str | None = None,
    actor: str | None = None,
) -> VenueTerms:
    """Replace an event's venue terms; a closed event's too, since settling comes after."""
    checked = check_terms(terms)
    with uow:
        ev = resolve_event(uow, event)
        stored = terms_to_settings(checked)
        events_store.set_venue_terms(uow, ev, stored)
        audit.record(uow, "event.terms", "event", ev.id, stored, actor)
        uow.commit()
    return checked
