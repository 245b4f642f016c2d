"""Every change of a letter or a released file: lock, guard, write, audit.

Numbers are allocated only when a letter is issued, under a row lock on the
agency's counter for the year, so two letters issued at the same instant never
share a number and a cancelled draft never takes one.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from letters import drafting, permissions, rendering
from letters.models import (
    CONSULTATION_KINDS,
    NUMBER_WORDS,
    Letter,
    LetterCounter,
    LetterKind,
    LetterStatus,
    ReleasedFile,
)
from letters.transitions import LETTER_TRANSITIONS, LetterAction
from portal import audit
from portal.errors import DomainError, PermissionDenied
from portal.validation import check_lengths
from portal.workflow import check, lock
from requests_.models import DisclosureRequest

logger = logging.getLogger(__name__)

KIND_INVALID = _("请选择文书类型。")
NOTHING_TO_DRAFT = {
    LetterKind.CORRECTION: _("该申请尚未发出补正告知，无法起草补正告知书。"),
    LetterKind.EXTENSION: _("该申请尚未批准延期，无法起草延期答复告知书。"),
    LetterKind.CONSULT_THIRD_PARTY: _("该申请未征求第三方意见，无法起草征求意见书。"),
    LetterKind.CONSULT_AGENCY: _("该申请未征求其他机关意见，无法起草征求意见函。"),
    LetterKind.FEE: _("该申请没有收费通知，无法起草收费通知书。"),
    LetterKind.REPLY: _("该申请尚未作出答复，无法起草答复书。"),
}
BODY_REQUIRED = _("请填写文书正文。")
ADDRESSEE_REQUIRED = _("征求意见的文书须写明收文对象。")
PLACEHOLDER_LEFT = _(
    "文书中仍有“【待填写】”的内容，请补全（或在机关设置中填写）后再签发。"
)
PREFIX_MISSING = _("本机关尚未设置发文字号前缀，请在机关设置中填写后再签发。")
VOID_REASON_REQUIRED = _("请说明作废理由。")
FILES_FROZEN = _("答复书已签发，提供的信息文件不能再增删。")
FILE_KINDS = ("pdf", "docx", "xlsx")
MAX_FILE_BYTES = 50 * 1024 * 1024


def now() -> dt.datetime:
    """Return the current moment (the tests fix it)."""
    return timezone.now()


AUDIT_FIELDS = ("kind", "status", "number", "year", "sequence", "letter_date")


def _snapshot(letter: Letter) -> dict[str, Any]:
    # Never the body or the addressee: they quote the request's title, which an
    # applicant may have written their own name into.
    return {**audit.snapshot(letter, AUDIT_FIELDS), "request": letter.request_id}


def _record(
    actor: Any, verb: str, letter: Letter, before: dict, note: str = ""
) -> None:
    """Append the event to the letter's history and to its request's."""
    audit.record_change(
        actor=actor,
        verb=verb,
        obj=letter,
        agency=letter.agency,
        before=before,
        after=_snapshot(letter),
        note=note,
    )
    # On the request's history the keys name the letter, not the request's fields.
    audit.record(
        actor=actor,
        verb=verb,
        obj=letter.request,
        agency=letter.agency,
        after={
            "letter": letter.pk,
            "letter_kind": letter.kind,
            "letter_status": letter.status,
            "number": letter.number,
        },
        note=note,
    )


def _lock(letter: Letter) -> Letter:
    return lock(letter, "request", "agency")


def _drafted_kind_available(request: DisclosureRequest, kind: LetterKind) -> bool:
    if kind == LetterKind.CORRECTION:
        return bool(request.correction_requested_on)
    if kind == LetterKind.EXTENSION:
        return bool(request.extension_days)
    if kind in CONSULTATION_KINDS:
        wanted = "third_party" if kind == LetterKind.CONSULT_THIRD_PARTY else "agency"
        return request.consultation_kind == wanted
    if kind == LetterKind.FEE:
        notices = getattr(request, "fee_notices", None)
        return notices is not None and notices.exists()
    return bool(request.outcome)


def _addressee(request: DisclosureRequest, kind: LetterKind, given: str) -> str:
    """Return whom a consultation letter goes to: as given, or the consulted party."""
    if kind not in CONSULTATION_KINDS:
        return ""
    return given.strip() or getattr(request, "consultation_party", "")


def released_names(request: DisclosureRequest) -> list[str]:
    return list(request.released_files.values_list("original_name", flat=True))


@transaction.atomic
def letter_draft(
    *,
    actor: Any,
    request: DisclosureRequest,
    kind: str,
    addressee: str = "",
    on: dt.date | None = None,
) -> Letter:
    """Draft a ``kind`` letter from what ``request`` records (no number yet)."""
    check_lengths("letter", addressee=addressee)
    if not permissions.can_draft_letter(actor, request):
        raise PermissionDenied()
    if kind not in LetterKind.values:
        raise DomainError(KIND_INVALID, code="invalid", field="kind")
    kind = LetterKind(kind)
    request = DisclosureRequest.objects.select_related("agency").get(pk=request.pk)
    if not _drafted_kind_available(request, kind):
        raise DomainError(NOTHING_TO_DRAFT[kind], code="nothing_to_draft", field="kind")
    day = on or timezone.localdate(now())
    letter = Letter.objects.create(
        request=request,
        agency=request.agency,
        kind=kind,
        title=drafting.title_for(request.agency, kind),
        addressee=_addressee(request, kind, addressee),
        body=drafting.draft_body(request, kind, day, released_names(request)),
        created_by=actor,
    )
    _record(actor, "letter.draft", letter, {})
    return letter


def _begin(action: LetterAction, letter: Letter, actor: Any) -> tuple[Letter, dict]:
    locked = _lock(letter)
    check(LETTER_TRANSITIONS, action, locked, actor)
    return locked, _snapshot(locked)


@transaction.atomic
def letter_update(
    *, actor: Any, letter: Letter, body: str, addressee: str | None = None
) -> Letter:
    """Change the words of a draft (its number is given only at issue)."""
    check_lengths("letter", body=body, addressee=addressee or "")
    locked, before = _begin(LetterAction.EDIT, letter, actor)
    if not body or not body.strip():
        raise DomainError(BODY_REQUIRED, code="required", field="body")
    locked.body = "\n".join(line.rstrip() for line in body.strip().splitlines())
    if addressee is not None and locked.kind in CONSULTATION_KINDS:
        locked.addressee = addressee.strip()
    locked.save()
    _record(actor, "letter.update", locked, before)
    return locked


@transaction.atomic
def letter_cancel(*, actor: Any, letter: Letter) -> Letter:
    """Drop a draft; it never took a number, so no gap is left."""
    locked, before = _begin(LetterAction.CANCEL, letter, actor)
    locked.status = LetterStatus.CANCELLED
    locked.save()
    _record(actor, "letter.cancel", locked, before)
    return locked


def _next_sequence(agency: Any, year: int) -> int:
    """Take the next number of ``agency`` in ``year`` under the counter's row lock."""
    LetterCounter.objects.get_or_create(agency=agency, year=year)
    counter = LetterCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def format_number(prefix: str, kind: str, year: int, sequence: int) -> str:
    """Return a document number: 黄府信公复〔2026〕12号."""
    return f"{prefix}{NUMBER_WORDS[LetterKind(kind)]}〔{year}〕{sequence}号"


@transaction.atomic
def letter_issue(*, actor: Any, letter: Letter) -> Letter:
    """Number, date and freeze the letter; send it to the applicant by e-mail.

    The e-mail is queued in the same transaction and leaves after it commits.
    """
    locked, before = _begin(LetterAction.ISSUE, letter, actor)
    if drafting.MISSING_MARK in locked.body:
        raise DomainError(PLACEHOLDER_LEFT, code="placeholder", field="body")
    if locked.kind in CONSULTATION_KINDS and not locked.addressee:
        raise DomainError(ADDRESSEE_REQUIRED, code="required", field="addressee")
    prefix = locked.agency.doc_no_prefix
    if not prefix:
        raise DomainError(PREFIX_MISSING, code="prefix_missing")
    moment = now()
    day = timezone.localdate(moment)
    locked.sequence = _next_sequence(locked.agency, day.year)
    locked.year = day.year
    locked.number = format_number(prefix, locked.kind, day.year, locked.sequence)
    locked.letter_date = day
    locked.issued_at = moment
    locked.issued_by = actor
    locked.status = LetterStatus.ISSUED
    locked.save()
    _record(actor, "letter.issue", locked, before)
    _send_to_applicant(locked)
    return locked


def _send_to_applicant(letter: Letter) -> None:
    if not letter.to_applicant:
        return
    address = letter.request.applicant_email
    if not address:
        return
    try:
        from messaging.services import message_enqueue
    except ImportError:  # The mail queue is not installed: the page delivers.
        logger.info("letters: no messaging app, letter %s not mailed", letter.pk)
        return
    layout = rendering.shown(letter, identity=False)
    docx = rendering.as_docx(layout)
    message_enqueue(
        to=address,
        subject=f"{letter.title} {letter.number}",
        body=rendering.as_text(layout),
        attachments=[(rendering.docx_name(letter), docx, rendering.DOCX_TYPE)],
        request=letter.request,
        kind="letter",
    )


@transaction.atomic
def letter_void(*, actor: Any, letter: Letter, reason: str) -> Letter:
    """Void an issued letter with a reason; its number stays used, never reissued."""
    check_lengths("letter", void_reason=reason)
    locked, before = _begin(LetterAction.VOID, letter, actor)
    if not reason or not reason.strip():
        raise DomainError(VOID_REASON_REQUIRED, code="required", field="reason")
    locked.status = LetterStatus.VOID
    locked.void_reason = reason.strip()
    locked.voided_at = now()
    locked.voided_by = actor
    locked.save()
    _record(actor, "letter.void", locked, before, note=locked.void_reason)
    return locked


# --- Released files ------------------------------------------------------------------


def _reply_issued(request: DisclosureRequest) -> bool:
    return request.letters.filter(
        kind=LetterKind.REPLY, status=LetterStatus.ISSUED
    ).exists()


def _file_event(actor: Any, verb: str, released: ReleasedFile) -> None:
    request = released.request
    audit.record(
        actor=actor,
        verb=verb,
        obj=request,
        agency=request.agency,
        after={"released_file": released.pk, "size": released.size},
    )


@transaction.atomic
def released_file_add(
    *, actor: Any, request: DisclosureRequest, file: UploadedFile
) -> ReleasedFile:
    """Attach a file to be released to the applicant with the reply."""
    from portal import uploads  # The one door every uploaded file passes.

    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    if not permissions.can_draft_letter(actor, request):
        raise PermissionDenied()
    if _reply_issued(request):
        raise DomainError(FILES_FROZEN, code="files_frozen")
    upload = uploads.admit_file(
        file,
        kinds=FILE_KINDS,
        limits=uploads.upload_limits(max_bytes=MAX_FILE_BYTES),
        field="file",
    )
    name = uploads.display_name(file.name)
    released = ReleasedFile(
        request=request,
        original_name=name,
        content_type=getattr(file, "content_type", "") or "application/octet-stream",
        size=len(upload.data),
        added_by=actor,
    )
    released.file.save(name, file, save=False)
    released.save()
    _file_event(actor, "letter.file_add", released)
    return released


@transaction.atomic
def released_file_remove(*, actor: Any, released: ReleasedFile) -> None:
    """Take a file back before the reply is issued."""
    request = DisclosureRequest.objects.select_for_update().get(pk=released.request_id)
    if not permissions.can_draft_letter(actor, request):
        raise PermissionDenied()
    if _reply_issued(request):
        raise DomainError(FILES_FROZEN, code="files_frozen")
    _file_event(actor, "letter.file_remove", released)
    released.file.delete(save=False)
    released.delete()
