"""The personal-data screen of a disclosure before approval.

The screen runs over exactly the free text of the public projection
(``requests_.projection``): the title, summary, body, keywords and document
number, and every attachment's file name, text and metadata. It looks for the
source applicants' own name, ID number and contacts besides the generic patterns.
Hits are stored without their value; a reviewer's acceptance is carried over to
later runs by the hit's keyed hash.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.errors import DomainError, InvalidTransition, PermissionDenied
from portal.validation import check_lengths
from requests_ import permissions, projection
from requests_.models import (
    IDENTITY_FIELDS,
    Disclosure,
    DisclosureStatus,
    HitStatus,
    ScreeningHit,
)
from requests_.services._common import lock, require

ACCEPT_REASON = _("确认保留须说明理由（例如：为公开的单位办公电话）。")
HIT_STALE = _("该结果与当前内容不一致，请重新筛查。")
MASK_ONLY_TEXT = _(
    "附件中的个人信息无法在线遮盖：请删除附件并上传处理后的文件，或确认保留。"
)
# The disclosure's own texts, masked in place; attachment locations are not.
TEXT_LOCATIONS = projection.TEXT_FIELDS
SCREENABLE = (DisclosureStatus.DRAFT, DisclosureStatus.SUBMITTED)


def screen_texts(disclosure: Disclosure) -> dict[str, str]:
    """Return every text of the disclosure the screen reads, by location."""
    return projection.screened_texts(disclosure)


def location_label(location: str, attachments: dict[int, Any] | None = None) -> str:
    """Name where a hit is, in words staff read (``正文``, ``附件文件名（a.pdf）``)."""
    return projection.location_label(location, attachments)


def applicant_terms(disclosure: Disclosure) -> list[str]:
    """Return the identity strings of every request this disclosure came from."""
    terms: list[str] = []
    for request in disclosure.source_requests.all():
        terms.extend(getattr(request, name) for name in IDENTITY_FIELDS)
    return [t for t in dict.fromkeys(terms) if t]


def open_hits(disclosure: Disclosure) -> QuerySet[ScreeningHit]:
    return disclosure.screening_hits.filter(status=HitStatus.OPEN)


def screen_run(*, disclosure: Disclosure) -> list[ScreeningHit]:
    """Screen the disclosure again; call inside the caller's transaction."""
    from requests_.screening import find_personal_data

    accepted = {
        (h.location, h.kind, h.value_hash): h
        for h in disclosure.screening_hits.filter(status=HitStatus.ACCEPTED)
    }
    terms = applicant_terms(disclosure)
    rows: list[ScreeningHit] = []
    for location, text in screen_texts(disclosure).items():
        for hit in find_personal_data(text, applicant_terms=terms):
            row = ScreeningHit(
                disclosure=disclosure,
                location=location,
                kind=str(hit.kind),
                start=hit.start,
                end=hit.end,
                value_hash=hit.key,
            )
            previous = accepted.get((location, row.kind, hit.key))
            if previous is not None:
                row.status = HitStatus.ACCEPTED
                row.reason = previous.reason
                row.resolved_by_id = previous.resolved_by_id
                row.resolved_at = previous.resolved_at
            rows.append(row)
    disclosure.screening_hits.all().delete()
    ScreeningHit.objects.bulk_create(rows)
    disclosure.screened_at = timezone.now()
    disclosure.save(update_fields=["screened_at"])
    return rows


def hit_context(
    hit: ScreeningHit, texts: dict[str, str], width: int = 20
) -> dict[str, str]:
    """Return the text before, at and after a hit, cut from the live text."""
    text = texts.get(hit.location, "")
    return {
        "before": text[max(0, hit.start - width) : hit.start],
        "match": text[hit.start : hit.end],
        "after": text[hit.end : hit.end + width],
    }


def _locked_hit(
    actor: Any, hit: ScreeningHit, allowed: Any
) -> tuple[Disclosure, ScreeningHit]:
    disclosure = lock(hit.disclosure)
    if not allowed(actor, disclosure):
        raise PermissionDenied()
    if disclosure.status not in SCREENABLE:
        raise InvalidTransition()
    hit = ScreeningHit.objects.filter(pk=hit.pk, disclosure=disclosure).first()
    if hit is None or hit.status != HitStatus.OPEN:
        raise DomainError(HIT_STALE, code="hit_stale")
    return disclosure, hit


def _record_hit(
    actor: Any, verb: str, disclosure: Disclosure, hit: ScreeningHit, note: str = ""
) -> None:
    """Append an event naming the hit's kind and place, never its value."""
    audit.record(
        actor=actor,
        verb=verb,
        obj=disclosure,
        agency=disclosure.agency,
        after={"kind": hit.kind, "location": hit.location},
        note=note,
    )


def _may_mask(actor: Any, disclosure: Disclosure) -> bool:
    return permissions.can_edit_disclosure(
        actor, disclosure
    ) or permissions.can_approve_disclosure(actor, disclosure)


@transaction.atomic
def screen_hit_mask(*, actor: Any, hit: ScreeningHit) -> Disclosure:
    """Mask one hit in the disclosure's own text, then screen again.

    Masking changes the text, so its audit event makes the actor a participant
    (``requests_.permissions.disclosure_participants``): a reviewer who masks
    leaves the approval to another reviewer (four eyes).
    """
    from requests_.screening import Hit, HitKind, hit_key, mask

    disclosure, hit = _locked_hit(actor, hit, _may_mask)
    if hit.location not in TEXT_LOCATIONS:
        raise DomainError(MASK_ONLY_TEXT, code="mask_attachment")
    text = getattr(disclosure, hit.location)
    value = text[hit.start : hit.end]
    if hit_key(hit.kind, value) != hit.value_hash:
        raise DomainError(HIT_STALE, code="hit_stale")
    masked = mask(
        text, [Hit(HitKind(hit.kind), hit.start, hit.end, value, "", hit.value_hash)]
    )
    setattr(disclosure, hit.location, masked)
    disclosure.save(update_fields=[hit.location, "updated_at"])
    _record_hit(actor, "disclosure.screen_mask", disclosure, hit)
    screen_run(disclosure=disclosure)
    return disclosure


@transaction.atomic
def screen_hit_accept(*, actor: Any, hit: ScreeningHit, reason: str) -> ScreeningHit:
    """Let a reviewer keep a hit on purpose, with the reason on the audit trail."""
    check_lengths("screening", reason=reason)
    disclosure, hit = _locked_hit(actor, hit, permissions.can_approve_disclosure)
    require(reason, ACCEPT_REASON, "reason")
    hit.status = HitStatus.ACCEPTED
    hit.reason = reason.strip()
    hit.resolved_by = actor
    hit.resolved_at = timezone.now()
    hit.save()
    _record_hit(actor, "disclosure.screen_accept", disclosure, hit, note=hit.reason)
    return hit


@transaction.atomic
def screen_rerun(*, actor: Any, disclosure: Disclosure) -> list[ScreeningHit]:
    """Run the screen on demand (editors and reviewers of the agency)."""
    locked = lock(disclosure)
    if not _may_mask(actor, locked):
        raise PermissionDenied()
    return screen_run(disclosure=locked)
