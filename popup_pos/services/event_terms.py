"""The open event's terms: the default tax for untaxed items and the tip presets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from popup_pos.domain.errors import PosError
from popup_pos.domain.pricing import PPM, TaxClass
from popup_pos.services import audit
from popup_pos.services.views import default_tax_of
from popup_pos.store import event_terms as event_terms_store
from popup_pos.store.uow import UnitOfWork

DEFAULT_TIP_PRESETS_PPM: tuple[int, ...] = (100_000, 150_000, 200_000)
MAX_TIP_PRESETS = 3


class TermsError(PosError):
    """Event terms that cannot be stored, with the reason."""


@dataclass(frozen=True, slots=True)
class EventTerms:
    event_id: int
    event_name: str
    currency: str
    default_tax: TaxClass | None
    tips_enabled: bool
    tip_presets_ppm: tuple[int, ...]


def _terms_of(event_id: int, name: str, currency: str, settings: Mapping[str, Any]) -> EventTerms:
    presets = settings.get("tip_presets_ppm")
    return EventTerms(
        event_id,
        name,
        currency,
        default_tax_of(settings),
        bool(settings.get("tips_enabled", True)),
        tuple(int(p) for p in presets) if presets else DEFAULT_TIP_PRESETS_PPM,
    )


def get_terms(uow: UnitOfWork) -> EventTerms | None:
    """The open event's terms, or None when no event is open."""
    with uow:
        event = event_terms_store.open_event(uow)
        if event is None:
            return None
        return _terms_of(event.id, event.name, event.currency, event.settings or {})


def default_tax(uow: UnitOfWork) -> TaxClass | None:
    """The tax applied to items without a tax class of their own, in the open event."""
    terms = get_terms(uow)
    return None if terms is None else terms.default_tax


def tip_presets(uow: UnitOfWork) -> tuple[int, ...]:
    """The tip buttons to offer (ppm); empty when tips are off or no event is open."""
    terms = get_terms(uow)
    return terms.tip_presets_ppm if terms is not None and terms.tips_enabled else ()


def tip_presets_of(settings: Mapping[str, Any]) -> tuple[int, ...]:
    """The tip buttons an event with these settings offers (ppm); empty when tips are off."""
    terms = _terms_of(0, "", "", settings)
    return terms.tip_presets_ppm if terms.tips_enabled else ()


def _check_presets(presets: Sequence[int]) -> list[int]:
    if len(presets) > MAX_TIP_PRESETS:
        raise TermsError(f"at most {MAX_TIP_PRESETS} tip presets")
    for ppm in presets:
        if isinstance(ppm, bool) or not isinstance(ppm, int) or not 0 < ppm <= PPM:
            raise TermsError(f"tip preset {ppm!r} must be above 0% and at most 100%")
    if len(set(presets)) != len(presets):
        raise TermsError("the tip presets must be different from each other")
    return list(presets)


def set_terms(
    uow: UnitOfWork,
    *,
    default_tax: TaxClass | None,
    tip_presets_ppm: Sequence[int] | None,
    tips_enabled: bool = True,
    actor: str | None = None,
) -> EventTerms:
    """Store the open event's default tax (None: none) and tip presets (None: the usual
    10/15/20%); the next sale uses them."""
    presets = None if tip_presets_ppm is None else _check_presets(tip_presets_ppm)
    with uow:
        event = event_terms_store.open_event_for_update(uow)
        if event is None:
            raise TermsError("no event is open: open one before setting its terms")
        settings = dict(event.settings or {})
        if default_tax is None:
            settings.pop("default_tax", None)
        else:
            settings["default_tax"] = {
                "name": default_tax.name,
                "rate_ppm": default_tax.rate_ppm,
                "inclusive": default_tax.inclusive,
            }
        if presets is None:
            settings.pop("tip_presets_ppm", None)
        else:
            settings["tip_presets_ppm"] = presets
        settings["tips_enabled"] = bool(tips_enabled)
        event_terms_store.replace_settings(uow, event.id, settings)
        audit.record(
            uow,
            "event.terms",
            "event",
            event.id,
            {
                "default_tax": settings.get("default_tax"),
                "tip_presets_ppm": presets,
                "tips_enabled": bool(tips_enabled),
            },
            actor,
        )
        uow.commit()
        return _terms_of(event.id, event.name, event.currency, settings)
