"""Services for entries: drafting, editing, and one function per workflow arrow.

Each runs in one transaction, locks the entry row, checks the guard and the
actor's role, writes, and appends an audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list import permissions
from negative_list.lint import chinese_date
from negative_list.models import Entry, EntryVersion, Exemption, Provision
from negative_list.services.workflow import ENTRY_TRANSITIONS, Action
from portal import audit
from portal.errors import (
    DomainError,
    FourEyesViolation,
    InvalidTransition,
    PermissionDenied,
)
from portal.models import Agency
from portal.validation import check_lengths
from portal.workflow import check, lock

TITLE_REQUIRED = _("请填写事项名称。")
SCOPE_REQUIRED = _("请填写不予公开的具体范围。")
PROVISION_REQUIRED = _("提交审核前至少引用一条不予公开的法律政策依据。")
RETURN_REASON_REQUIRED = _("退回时请写明理由。")
NOT_A_DRAFT = _("只有草稿状态的事项可以修改。")
PROVISION_REPEALED = _(
    "%(citation)s已于%(date)s废止，不能作为新的依据引用，请改引现行有效的规定。"
)

CONTENT_FIELDS = (
    "category",
    "title",
    "scope",
    "responsible_unit",
    "notes",
    "basis_note",
)


@dataclass(frozen=True)
class EntryContent:
    """The wording of an entry as the editor gives it."""

    category: Exemption
    title: str
    scope: str
    provisions: tuple[Provision, ...] = ()
    responsible_unit: str = ""
    notes: str = ""
    basis_note: str = ""

    def validate(self) -> None:
        if not self.title.strip():
            raise DomainError(TITLE_REQUIRED, code="title_required", field="title")
        if not self.scope.strip():
            raise DomainError(SCOPE_REQUIRED, code="scope_required", field="scope")


def _content_snapshot(version: EntryVersion) -> dict[str, object]:
    data = audit.snapshot(version, CONTENT_FIELDS)
    data["provisions"] = sorted(version.provisions.values_list("pk", flat=True))
    return data


def _refuse_repealed(content: EntryContent, cited: Iterable[int] = ()) -> None:
    """Refuse a provision repealed by today unless the wording already cited it.

    A wording that cited it before its repeal stays editable; the automatic check
    asks for a re-basing (``lint.check_provisions``).
    """
    kept = set(cited)
    for provision in content.provisions:
        if provision.pk not in kept and provision.is_repealed():
            raise DomainError(
                PROVISION_REPEALED
                % {
                    "citation": provision.citation,
                    "date": chinese_date(provision.repealed_on),
                },
                code="provision_repealed",
                field="provisions",
            )


def _write_content(version: EntryVersion, content: EntryContent) -> None:
    check_lengths("entry", content)
    version.category = content.category
    version.title = content.title.strip()
    version.scope = content.scope.strip()
    version.responsible_unit = content.responsible_unit.strip()
    version.notes = content.notes.strip()
    version.basis_note = content.basis_note.strip()
    version.save()
    version.provisions.set(content.provisions)


def _lock(entry: Entry) -> Entry:
    return lock(entry, "agency")


def _record(
    actor: User | None, verb: str, entry: Entry, before: str, note: str = ""
) -> None:
    audit.record(
        actor=actor,
        verb=f"negative_list.entry.{verb}",
        obj=entry,
        agency=entry.agency,
        before={"status": before},
        after={"status": entry.status},
        note=note,
    )


def create_entry_unchecked(
    *, actor: User | None, agency: Agency, content: EntryContent, verb: str = "create"
) -> Entry:
    """Create a draft entry without the role check (for trusted callers: import)."""
    content.validate()
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    serial = (
        Entry.objects.filter(agency=agency).aggregate(m=Max("serial"))["m"] or 0
    ) + 1
    entry = Entry.objects.create(
        agency=agency,
        code=f"{agency.code}-{serial:03d}",
        serial=serial,
        status=Entry.Status.DRAFT,
        created_by=actor,
    )
    version = EntryVersion(
        entry=entry,
        number=1,
        author=actor,
        last_edited_by=actor,
        category=content.category,
    )
    _write_content(version, content)
    entry.latest_version = version
    entry.save(update_fields=["latest_version", "updated_at"])
    audit.record(
        actor=actor,
        verb=f"negative_list.entry.{verb}",
        obj=entry,
        agency=agency,
        after={"status": entry.status, **_content_snapshot(version)},
    )
    return entry


@transaction.atomic
def entry_create(*, actor: User, agency: Agency, content: EntryContent) -> Entry:
    """Draft a new entry of ``agency``; its code is the agency code plus a serial."""
    if not permissions.can_draft_entries(actor, agency):
        raise PermissionDenied()
    _refuse_repealed(content)
    return create_entry_unchecked(actor=actor, agency=agency, content=content)


@transaction.atomic
def entry_update(*, actor: User, entry: Entry, content: EntryContent) -> Entry:
    """Change the wording of a draft; the editor becomes its last editor."""
    entry = _lock(entry)
    if not permissions.can_edit_entry(actor, entry):
        raise PermissionDenied()
    if entry.status != Entry.Status.DRAFT:
        raise InvalidTransition(NOT_A_DRAFT)
    version = entry.latest_version
    before = _content_snapshot(version)
    _refuse_repealed(content, cited=before["provisions"])
    version.last_edited_by = actor
    _write_content(version, content)
    audit.record_change(
        actor=actor,
        verb="negative_list.entry.update",
        obj=entry,
        agency=entry.agency,
        before=before,
        after=_content_snapshot(version),
    )
    return entry


@transaction.atomic
def entry_submit(*, actor: User, entry: Entry) -> Entry:
    """Send a draft to legal review; it must cite at least one provision."""
    entry = _lock(entry)
    transition = check(ENTRY_TRANSITIONS, Action.SUBMIT, entry, actor)
    version = entry.latest_version
    if not version.provisions.exists():
        raise DomainError(
            PROVISION_REQUIRED, code="provision_required", field="provisions"
        )
    before, entry.status = entry.status, transition.target
    entry.save(update_fields=["status", "updated_at"])
    version.submitted_at = timezone.now()
    version.return_reason = ""
    version.save(update_fields=["submitted_at", "return_reason", "updated_at"])
    _record(actor, "submit", entry, before)
    return entry


def check_four_eyes(actor: User | None, entry: Entry) -> None:
    """Refuse ``actor`` if they drafted, edited, submitted or amended any version."""
    if permissions.took_part_in_entry(actor, entry):
        raise FourEyesViolation()


@transaction.atomic
def entry_approve(*, actor: User, entry: Entry, note: str = "") -> Entry:
    """Pass the legality review; never by anyone who took part in the wording."""
    check_lengths("entry", note=note)
    entry = _lock(entry)
    transition = check(ENTRY_TRANSITIONS, Action.APPROVE, entry, actor)
    version = entry.latest_version
    check_four_eyes(actor, entry)
    before, entry.status = entry.status, transition.target
    entry.save(update_fields=["status", "updated_at"])
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.save(update_fields=["reviewed_by", "reviewed_at", "updated_at"])
    _record(actor, "approve", entry, before, note)
    return entry


@transaction.atomic
def entry_return(*, actor: User, entry: Entry, reason: str) -> Entry:
    """Send a submitted entry back to its editor with the reviewer's reasons."""
    check_lengths("entry", reason=reason)
    entry = _lock(entry)
    transition = check(ENTRY_TRANSITIONS, Action.RETURN, entry, actor)
    if not reason.strip():
        raise DomainError(
            RETURN_REASON_REQUIRED, code="reason_required", field="reason"
        )
    version = entry.latest_version
    before, entry.status = entry.status, transition.target
    entry.save(update_fields=["status", "updated_at"])
    version.return_reason = reason.strip()
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.save(
        update_fields=["return_reason", "reviewed_by", "reviewed_at", "updated_at"]
    )
    _record(actor, "return", entry, before, reason.strip())
    return entry


@transaction.atomic
def entry_amend(*, actor: User, entry: Entry, change_note: str = "") -> Entry:
    """Start a new version of a published entry; the published wording stays public
    until the amendment is approved and published."""
    check_lengths("entry", change_note=change_note)
    entry = _lock(entry)
    transition = check(ENTRY_TRANSITIONS, Action.AMEND, entry, actor)
    current = entry.latest_version
    version = EntryVersion.objects.create(
        entry=entry,
        number=current.number + 1,
        category=current.category,
        title=current.title,
        scope=current.scope,
        responsible_unit=current.responsible_unit,
        notes=current.notes,
        basis_note=current.basis_note,
        author=actor,
        last_edited_by=actor,
        change_note=change_note.strip(),
    )
    version.provisions.set(current.provisions.all())
    before, entry.status = entry.status, transition.target
    entry.latest_version = version
    entry.save(update_fields=["status", "latest_version", "updated_at"])
    _record(actor, "amend", entry, before, change_note.strip())
    return entry


def mark_published(*, actor: User | None, entries: Iterable[Entry]) -> None:
    """Move approved entries to published (called inside list publication)."""
    for entry in entries:
        transition = check(ENTRY_TRANSITIONS, Action.PUBLISH, entry, actor)
        before, entry.status = entry.status, transition.target
        entry.published_version = entry.latest_version
        entry.save(update_fields=["status", "published_version", "updated_at"])
        _record(actor, "publish", entry, before)


def mark_retired(
    *, actor: User | None, entries: Iterable[Entry], note: str = ""
) -> None:
    """Retire entries (called inside list publication after a periodic review)."""
    for entry in entries:
        transition = check(ENTRY_TRANSITIONS, Action.RETIRE, entry, actor)
        before, entry.status = entry.status, transition.target
        entry.save(update_fields=["status", "updated_at"])
        _record(actor, "retire", entry, before, note)
