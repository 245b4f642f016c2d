"""Publishing list versions, and the interpretation published with them."""

from __future__ import annotations

import nh3

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list import permissions, selectors
from negative_list.models import (
    Entry,
    EntryVersion,
    Interpretation,
    ListVersion,
    ListVersionItem,
    ReviewCycle,
)
from negative_list.search_source import DOC_TYPE
from negative_list.services.entries import mark_published, mark_retired
from portal import audit
from portal.errors import DomainError, FourEyesViolation, PermissionDenied
from portal.models import Agency
from portal.validation import check_lengths

NOTHING_TO_PUBLISH = _("没有审核通过的事项，也没有要取消的事项，无需发布新版本。")
EMPTY_LIST = _("发布后清单为空：至少保留一个事项，或不发布。")
INTERPRETATION_FOUR_EYES = _(
    "您起草或修改过本机构清单的解读内容，不能发布（四眼原则），请由其他审核人员发布。"
)


# The interpretation is rich text typed by staff: only structure and emphasis.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
INTERPRETATION_FIELDS = ("review_basis", "adjustment_standards", "operating_procedure")


def sanitize_html(html: str) -> str:
    """Return ``html`` with everything but safe structure and emphasis removed."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


@transaction.atomic
def interpretation_update(
    *,
    actor: User,
    agency: Agency,
    review_basis: str,
    adjustment_standards: str,
    operating_procedure: str,
) -> Interpretation:
    """Save the agency's interpretation; it goes public with the next version."""
    check_lengths(
        "interpretation",
        review_basis=review_basis,
        adjustment_standards=adjustment_standards,
        operating_procedure=operating_procedure,
    )
    if not permissions.can_edit_interpretation(actor, agency):
        raise PermissionDenied()
    interpretation, _created = Interpretation.objects.select_for_update().get_or_create(
        agency=agency
    )
    before = audit.snapshot(interpretation, INTERPRETATION_FIELDS)
    interpretation.review_basis = sanitize_html(review_basis)
    interpretation.adjustment_standards = sanitize_html(adjustment_standards)
    interpretation.operating_procedure = sanitize_html(operating_procedure)
    interpretation.updated_by = actor
    interpretation.save()
    audit.record_change(
        actor=actor,
        verb="negative_list.interpretation.update",
        obj=interpretation,
        agency=agency,
        before=before,
        after=audit.snapshot(interpretation, INTERPRETATION_FIELDS),
    )
    return interpretation


def _snapshot_item(
    version: ListVersion, entry: Entry, ev: EntryVersion, position: int
) -> ListVersionItem:
    return ListVersionItem(
        list_version=version,
        entry=entry,
        entry_version=ev,
        position=position,
        category_code=ev.category_id,
        category_name=ev.category.short_name,
        title=ev.title,
        scope=ev.scope,
        basis=ev.basis_text(),
        responsible_unit=ev.responsible_unit,
        notes=ev.notes,
    )


def _summary(
    added: list[Entry], retired: list[Entry], amended: list[Entry], kept: int
) -> dict:
    text = str(
        _("新增%(added)d项、取消%(retired)d项、修订%(amended)d项，保留%(kept)d项。")
        % {
            "added": len(added),
            "retired": len(retired),
            "amended": len(amended),
            "kept": kept,
        }
    )
    return {
        "added": [e.code for e in added],
        "retired": [e.code for e in retired],
        "amended": [e.code for e in amended],
        "kept": kept,
        "text": text,
    }


def publish_unchecked(
    *,
    actor: User | None,
    agency: Agency,
    retire: set[int] | None = None,
    cycle: ReviewCycle | None = None,
    note: str = "",
    allow_unchanged: bool = False,
) -> ListVersion:
    """Publish the next list version of ``agency`` (callers hold the transaction)."""
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    retire = retire or set()
    previous = selectors.current_list_version(agency)
    previous_items = (
        {item.entry_id: item for item in previous.items.all()} if previous else {}
    )
    approved = list(
        Entry.objects.select_for_update()
        .filter(agency=agency, status=Entry.Status.APPROVED)
        .exclude(pk__in=retire)
    )
    retiring = list(
        Entry.objects.select_for_update().filter(agency=agency, pk__in=retire)
    )
    if not approved and not retiring and not allow_unchanged:
        raise DomainError(NOTHING_TO_PUBLISH, code="nothing_to_publish")
    approved_ids = {e.pk for e in approved}
    rows: dict[int, tuple[Entry, EntryVersion]] = {}
    for entry_id, item in previous_items.items():
        if entry_id not in retire and entry_id not in approved_ids:
            rows[entry_id] = (item.entry, item.entry_version)
    for entry in approved:
        rows[entry.pk] = (entry, entry.latest_version)
    if not rows:
        raise DomainError(EMPTY_LIST, code="empty_list")
    added = [e for e in approved if e.pk not in previous_items]
    amended = [e for e in approved if e.pk in previous_items]
    retired = [e for e in retiring if e.pk in previous_items]
    version_summary = _summary(added, retired, amended, len(rows) - len(approved))
    interpretation = Interpretation.objects.filter(agency=agency).first()
    version = ListVersion.objects.create(
        agency=agency,
        number=(previous.number + 1) if previous else 1,
        published_at=timezone.now(),
        published_by=actor,
        change_summary=version_summary,
        note=note.strip(),
        review_cycle=cycle,
        **{
            field: getattr(interpretation, field, "") for field in INTERPRETATION_FIELDS
        },
    )
    ordered = sorted(rows.values(), key=lambda pair: pair[0].serial)
    ListVersionItem.objects.bulk_create(
        _snapshot_item(version, entry, ev, position)
        for position, (entry, ev) in enumerate(ordered, start=1)
    )
    mark_published(actor=actor, entries=approved)
    mark_retired(actor=actor, entries=retiring, note=str(cycle or ""))
    _enqueue_search(upsert=[*added, *amended], delete=retired)
    audit.record(
        actor=actor,
        verb="negative_list.list_version.publish",
        obj=version,
        agency=agency,
        after={"number": version.number, **version_summary},
        note=note.strip(),
    )
    return version


def _enqueue_search(*, upsert: list[Entry], delete: list[Entry]) -> None:
    """Record index work in the search outbox inside the publishing transaction."""
    from search.outbox import enqueue

    for entry in upsert:
        enqueue(doc_type=DOC_TYPE, object_id=entry.pk, action="upsert")
    for entry in delete:
        enqueue(doc_type=DOC_TYPE, object_id=entry.pk, action="delete")


@transaction.atomic
def list_version_publish(*, actor: User, agency: Agency, note: str = "") -> ListVersion:
    """Publish the approved entries of ``agency`` as its next list version."""
    if not permissions.can_publish_list(actor, agency):
        raise PermissionDenied()
    check_lengths("list_version", note=note)
    check_interpretation_four_eyes(actor, agency)
    return publish_unchecked(actor=actor, agency=agency, note=note)


def check_interpretation_four_eyes(actor: User, agency: Agency) -> None:
    """Refuse ``actor`` if they ever edited the interpretation a version carries.

    Publishing puts the interpretation public unreviewed by anyone else, so whoever
    wrote any of it may not be the one to publish it; the approved entries were
    already passed by someone other than their authors. Read from the audit trail,
    so a later edit by a colleague does not launder an earlier one.
    """
    interpretation = Interpretation.objects.filter(agency=agency).first()
    if interpretation is not None and actor.pk in audit.actor_ids(interpretation):
        raise FourEyesViolation(INTERPRETATION_FOUR_EYES)
