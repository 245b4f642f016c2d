"""Disclosures: index numbers, drafts, attachments, approval and withdrawal.

Publishing and withdrawing write a search outbox row in the same transaction, so
a publication is never committed without its index update being recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError, FourEyesViolation, PermissionDenied
from portal.models import Agency, Topic
from portal.validation import check_lengths
from requests_ import permissions
from requests_.models import (
    Disclosure,
    DisclosureAttachment,
    DisclosureStatus,
    IndexCounter,
)
from requests_.search_source import DOC_TYPE
from requests_.services._common import (
    Step,
    begin,
    lock,
    record,
    require,
    snapshot,
)
from requests_.services.screen import open_hits, screen_run
from requests_.transitions import DISCLOSURE_TRANSITIONS, DisclosureAction
from search.outbox import enqueue

TITLE_REQUIRED = _("请填写信息名称。")
TOPIC_REQUIRED = _("提交审核前请选择主题分类。")
CONTENT_REQUIRED = _("提交审核前请填写正文或上传附件。")
NOT_EDITABLE = _("只有草稿可以修改；已提交的请先由审核人退回。")
RETURN_REASON = _("请填写退回理由。")
WITHDRAW_REASON = _("撤回须说明理由，理由将在原页面公示。")
PUBLISH_IN_PAST = _("发布时间不能早于现在；立即发布请留空。")
ATTACHMENT_TYPE = _("附件只能是 PDF、DOCX 或 XLSX 文件。")
ATTACHMENT_NOT_CLEANED = _(
    "附件“%(names)s”是在去除元数据功能上线前上传的，尚未去除作者、批注等元数据，"
    "不能发布：请删除后重新上传，或由管理员运行 clean_attachment_metadata。"
)
SCREEN_UNRESOLVED = _(
    "个人信息筛查仍有未处理的结果：请逐条遮盖，或由审核人说明理由后确认保留。"
)

EDITABLE_FIELDS = (
    "title",
    "topic",
    "doc_no",
    "written_on",
    "summary",
    "keywords",
    "body",
)
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
}
ATTACHMENT_KINDS = ("pdf", "docx", "xlsx")
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
SERIAL_WIDTH = 5


def next_index_no(agency: Agency, year: int) -> str:
    """Issue the next ``<code>/<year>-<serial>`` of ``agency``; call inside atomic.

    The counter row is locked for the rest of the transaction, so two drafts
    created at once wait for each other instead of taking the same serial. A
    number already taken (an imported one) is skipped.
    """
    try:
        with transaction.atomic():
            IndexCounter.objects.get_or_create(agency=agency, year=year)
    except IntegrityError:
        pass  # Created by a concurrent transaction; lock it below.
    counter = IndexCounter.objects.select_for_update().get(agency=agency, year=year)
    while True:
        counter.last_serial += 1
        candidate = f"{agency.code}/{year}-{counter.last_serial:0{SERIAL_WIDTH}d}"
        if not Disclosure.objects.filter(index_no=candidate).exists():
            break
    counter.save(update_fields=["last_serial"])
    return candidate


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"unknown fields: {sorted(unknown)}", code="invalid")
    check_lengths("disclosure", fields)
    if "title" in fields:
        require(fields["title"], TITLE_REQUIRED, "title")
        fields["title"] = fields["title"].strip()
    if (
        "topic" in fields
        and fields["topic"] is not None
        and not isinstance(fields["topic"], Topic)
    ):
        raise DomainError(TOPIC_REQUIRED, code="invalid", field="topic")
    for name in ("doc_no", "summary", "keywords", "body"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    return fields


def disclosure_create_draft(
    *, actor: Any, agency: Agency, title: str, **fields: Any
) -> Disclosure:
    """Create a draft with its index number; part of the conversion decision."""
    fields = _clean_fields({"title": title, **fields})
    disclosure = Disclosure(
        agency=agency,
        index_no=next_index_no(agency, timezone.localdate().year),
        status=DisclosureStatus.DRAFT,
        created_by=actor,
        updated_by=actor,
        **fields,
    )
    disclosure.save()
    record(actor=actor, verb="disclosure.create", obj=disclosure)
    return disclosure


def _editable(actor: Any, disclosure: Disclosure) -> Disclosure:
    locked = lock(disclosure)
    if not permissions.can_edit_disclosure(actor, locked):
        raise PermissionDenied()
    if locked.status != DisclosureStatus.DRAFT:
        raise DomainError(NOT_EDITABLE, code="invalid_transition")
    return locked


@transaction.atomic
def disclosure_update(
    *, actor: Any, disclosure: Disclosure, **fields: Any
) -> Disclosure:
    """Change a draft's catalogue data or body; the screen runs again."""
    locked = _editable(actor, disclosure)
    before = snapshot(locked)
    for name, value in _clean_fields(fields).items():
        setattr(locked, name, value)
    locked.updated_by = actor
    locked.save()
    screen_run(disclosure=locked)
    record(actor=actor, verb="disclosure.update", obj=locked, before=before)
    return locked


def _admit_attachment(upload: UploadedFile) -> Any:
    """Pass the file through the upload door; its name must match its content.

    The name and the first bytes come from the uploader; the kind is decided by the
    content (a DOCX renamed .xlsx, or a zip renamed .docx, is refused).
    """
    from portal import uploads

    return uploads.admit_file(
        upload,
        kinds=ATTACHMENT_KINDS,
        limits=uploads.upload_limits(max_bytes=MAX_ATTACHMENT_BYTES),
        name_must_match=True,
        wrong_type=ATTACHMENT_TYPE,
    )


def safe_name(name: str) -> str:
    """Return a file name with no path, control characters or quotes."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>|:*?/')
    return cleaned.strip(". ")[:150] or "attachment"


@dataclass(frozen=True)
class PreparedAttachment:
    """An admitted file without its metadata, with its text and what remains."""

    kind: str
    data: bytes
    text: str
    warnings: list[str]
    metadata_text: str


def prepare_attachment(admitted: Any) -> PreparedAttachment:
    """Remove the file's metadata, then read the text of what will be stored.

    A file that cannot be cleaned (an encrypted PDF) is refused with the reason.
    """
    from requests_ import extract, metadata

    cleaned = metadata.clean(admitted)
    result = extract.extract_upload(replace(admitted, data=cleaned))
    return PreparedAttachment(
        kind=admitted.kind,
        data=cleaned,
        text=result.text,
        warnings=[str(w) for w in result.warnings],
        metadata_text=metadata.metadata_text(cleaned),
    )


def require_attachments_cleaned(disclosure: Disclosure) -> None:
    """Refuse to publish a disclosure with a file stored before cleaning existed."""
    refusal = _attachments_refusal(disclosure)
    if refusal is not None:
        raise refusal


def _attachments_refusal(disclosure: Disclosure) -> DomainError | None:
    names = list(
        disclosure.attachments.filter(metadata_removed=False).values_list(
            "original_name", flat=True
        )
    )
    if not names:
        return None
    return DomainError(
        ATTACHMENT_NOT_CLEANED % {"names": "、".join(names)},
        code="attachment_metadata",
    )


def publication_refusals(disclosure: Disclosure) -> list[DomainError]:
    """Return what would make ``disclosure_approve`` refuse, as its own errors.

    The screen as last run (open hits) and the attachments' metadata; the page
    shows them as warnings before anyone tries to approve.
    """
    refusals = []
    if open_hits(disclosure).exists():
        refusals.append(DomainError(SCREEN_UNRESOLVED, code="screen_unresolved"))
    attachments = _attachments_refusal(disclosure)
    if attachments is not None:
        refusals.append(attachments)
    return refusals


def _attachments_changed(
    actor: Any, draft: Disclosure, *, verb: str, name: str
) -> None:
    """Mark the draft edited by ``actor``, screen it again and record the change."""
    draft.updated_by = actor
    draft.save(update_fields=["updated_by", "updated_at"])
    screen_run(disclosure=draft)
    record(
        actor=actor,
        verb=verb,
        obj=draft,
        extra={"attachment": name},
    )


@transaction.atomic
def disclosure_attachment_add(
    *, actor: Any, disclosure: Disclosure, upload: UploadedFile
) -> DisclosureAttachment:
    """Attach a PDF, DOCX or XLSX file without its metadata; read and screen it."""
    locked = _editable(actor, disclosure)
    prepared = prepare_attachment(_admit_attachment(upload))
    attachment = DisclosureAttachment(
        disclosure=locked,
        original_name=safe_name(upload.name),
        content_type=ATTACHMENT_TYPES[f".{prepared.kind}"][0],
        size=len(prepared.data),
        extracted_text=prepared.text,
        extraction_warnings=prepared.warnings,
        metadata_removed=True,
        metadata_text=prepared.metadata_text,
    )
    # The stored file is the cleaned one: what the public download serves.
    attachment.file.save(
        f"attachment.{prepared.kind}", ContentFile(prepared.data), save=False
    )
    attachment.save()
    _attachments_changed(
        actor, locked, verb="disclosure.attachment_add", name=attachment.original_name
    )
    return attachment


@transaction.atomic
def disclosure_attachment_remove(
    *, actor: Any, attachment: DisclosureAttachment
) -> None:
    """Remove an attachment from a draft."""
    locked = _editable(actor, attachment.disclosure)
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    _attachments_changed(actor, locked, verb="disclosure.attachment_remove", name=name)


def _begin(
    action: DisclosureAction, disclosure: Disclosure, actor: Any
) -> Step[Disclosure]:
    return begin(DISCLOSURE_TRANSITIONS, action, lock(disclosure), actor)


@transaction.atomic
def disclosure_submit(*, actor: Any, disclosure: Disclosure) -> Disclosure:
    """Send a complete draft for approval; the screen runs on what is submitted."""
    step = _begin(DisclosureAction.SUBMIT, disclosure, actor)
    locked = step.obj
    require(locked.title, TITLE_REQUIRED, "title")
    if locked.topic_id is None:
        raise DomainError(TOPIC_REQUIRED, code="required", field="topic")
    if not locked.body.strip() and not locked.attachments.exists():
        raise DomainError(CONTENT_REQUIRED, code="required", field="body")
    locked.submitted_at = timezone.now()
    locked.return_reason = ""
    step.finish()
    screen_run(disclosure=locked)
    return locked


@transaction.atomic
def disclosure_return(*, actor: Any, disclosure: Disclosure, reason: str) -> Disclosure:
    """Send a submitted disclosure back to its author with the reviewer's reasons."""
    check_lengths("disclosure", reason=reason)
    step = _begin(DisclosureAction.RETURN, disclosure, actor)
    locked = step.obj
    require(reason, RETURN_REASON, "reason")
    locked.return_reason = reason.strip()
    return step.finish(note=locked.return_reason)


@transaction.atomic
def disclosure_approve(
    *, actor: Any, disclosure: Disclosure, publish_at: dt.datetime | None = None
) -> Disclosure:
    """Approve and publish now or at ``publish_at`` (four eyes, screen resolved).

    A future date needs no timer: visibility is decided when the page is read.
    The outbox row is written now; the consumer asks the source whether the item
    is public yet and re-checks scheduled items.
    """
    step = _begin(DisclosureAction.APPROVE, disclosure, actor)
    locked = step.obj
    if permissions.took_part_in_disclosure(actor, locked):
        raise FourEyesViolation()
    now = timezone.now()
    if publish_at is not None and publish_at < now - dt.timedelta(minutes=5):
        raise DomainError(PUBLISH_IN_PAST, code="publish_in_past", field="publish_at")
    screen_run(disclosure=locked)
    refusals = publication_refusals(locked)
    if refusals:
        raise refusals[0]
    locked.approved_by = actor
    locked.approved_at = now
    locked.publish_at = max(publish_at or now, now)
    step.finish()
    enqueue(doc_type=DOC_TYPE, object_id=locked.pk, action="upsert")
    return locked


@transaction.atomic
def disclosure_withdraw(
    *, actor: Any, disclosure: Disclosure, reason: str
) -> Disclosure:
    """Withdraw a published disclosure; its page becomes a tombstone with the reason."""
    check_lengths("disclosure", reason=reason)
    step = _begin(DisclosureAction.WITHDRAW, disclosure, actor)
    locked = step.obj
    require(reason, WITHDRAW_REASON, "reason")
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_reason = reason.strip()
    locked.withdrawn_by = actor
    step.finish(note=locked.withdrawn_reason)
    enqueue(doc_type=DOC_TYPE, object_id=locked.pk, action="delete")
    return locked
