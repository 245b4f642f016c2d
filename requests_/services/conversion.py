"""The conversion decision (依申请转主动公开) for released information.

"Convert" (or linking to an existing disclosure, 第四十四条) is the editor's call
and takes effect at once. "Not convert" keeps released information out of the
column, so it is a proposal until a reviewer of the handling agency who did not
propose it approves it; a returned proposal goes back to the editor with the
reviewer's reason. The reasons (the applicant's own tax, social security, medical,
registration or other affairs, after the 2018 Shanghai plan) hold only when the
information concerns the applicant itself and the reason fits the kind of
applicant. A decision in force can be amended with a reason; every decision,
proposal, review and amendment is a ``ConversionReview`` row and an audit event.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError, InvalidTransition, PermissionDenied
from portal.validation import check_lengths
from requests_ import permissions
from requests_.models import (
    ApplicantType,
    ConversionDecision,
    ConversionReview,
    ConversionReviewStatus,
    Disclosure,
    DisclosureRequest,
    DisclosureStatus,
    NonConversionReason,
    RequestStatus,
)
from requests_.models.choices import RELEASING_OUTCOMES
from requests_.services._common import lock, record, snapshot, today
from requests_.services.disclosures import disclosure_create_draft

NOT_RELEASED = _("只有予以公开或部分公开的申请需要作出转主动公开决定。")
ALREADY_DECIDED = _("已作出转主动公开决定。如需改变，请更正决定并说明理由。")
DECISION_INVALID = _("请选择转主动公开决定。")
REASON_REQUIRED = _("不转为主动公开须选择理由。")
NOTE_REQUIRED = _("理由为“其他申请人本人事项”时须具体说明。")
LINK_TARGET = _("只能关联本机关已发布的主动公开信息。")
NOT_ABOUT_APPLICANT = _(
    "不转理由均为申请人本人事项：只有所申请信息涉及申请人自身时才能选择。"
    "涉及他人或其他单位的信息应转为主动公开，或依法不予公开。"
)
REASON_NOT_FOR_APPLICANT = _(
    "“%(reason)s”只适用于申请人为自然人的申请，本申请人为%(type)s。"
)
PENDING_REVIEW = _("不转为主动公开的建议正在等待审核。")
NOT_PENDING = _("该建议已审核，不能再次审核。")
OWN_PROPOSAL = _("不能审核自己提出的不转建议（双人复核）。")
RETURN_REASON_REQUIRED = _("退回须说明理由。")
NOTHING_TO_AMEND = _("尚未作出生效的转主动公开决定，无需更正。")
AMENDMENT_REASON_REQUIRED = _("更正决定须说明理由。")
AMENDMENT_SAME = _("更正后的决定与现行决定相同。")
AMEND_PUBLISHED = _(
    "转化形成的主动公开信息已经发布：如需不再公开，请先由审核人撤回该信息。"
)
DRAFT_UNPUBLISHED = _(
    "已决定转为主动公开，但主动公开信息 %(index_no)s 尚未发布，申请暂不能办结。"
)
DECIDABLE = (RequestStatus.REPLIED, RequestStatus.CLOSED)

# Which applicants each reason can describe. Tax and fee payments and
# registrations are a company's or an organisation's own affairs as much as a
# person's; social security and medical records are a natural person's.
_EVERY_APPLICANT = frozenset(ApplicantType.values)
_NATURAL_PERSON = frozenset({ApplicantType.NATURAL_PERSON.value})
REASON_APPLICANTS: dict[str, frozenset[str]] = {
    NonConversionReason.TAX_FEES: _EVERY_APPLICANT,
    NonConversionReason.SOCIAL_SECURITY: _NATURAL_PERSON,
    NonConversionReason.MEDICAL: _NATURAL_PERSON,
    NonConversionReason.REGISTRATION: _EVERY_APPLICANT,
    NonConversionReason.OTHER_PERSONAL: _EVERY_APPLICANT,
}


def reasons_for(applicant_type: str) -> list[tuple[str, str]]:
    """Return the non-conversion reasons that can apply to ``applicant_type``."""
    return [
        (value, label)
        for value, label in NonConversionReason.choices
        if applicant_type in REASON_APPLICANTS[value]
    ]


class ConversionChoice(TypedDict):
    """A conversion decision as the editor gives it (decide or amend)."""

    decision: str
    reason: NotRequired[str]
    note: NotRequired[str]
    concerns_applicant: NotRequired[bool]
    disclosure: NotRequired[Disclosure | None]
    draft: NotRequired[dict[str, Any] | None]


def conversion_choice(
    request: DisclosureRequest, data: dict[str, Any]
) -> ConversionChoice:
    """Turn a decision's input, the form's or the API's, into the keyword arguments
    of ``conversion_decide``: the disclosure to link named by its index number, the
    draft's title (the request's unless given) and topic (a ``Topic`` or None)."""
    target = None
    if data.get("disclosure"):
        target = Disclosure.objects.filter(index_no=data["disclosure"].strip()).first()
    return {
        "decision": data["decision"],
        "reason": data["reason"],
        "note": data["note"],
        "concerns_applicant": data["concerns_applicant"],
        "disclosure": target,
        "draft": {"title": data["title"] or request.title, "topic": data.get("topic")},
    }


def _check_reason(
    request: DisclosureRequest, reason: str, note: str, concerns_applicant: bool
) -> None:
    if reason not in NonConversionReason.values:
        raise DomainError(REASON_REQUIRED, code="required", field="reason")
    if not concerns_applicant:
        raise DomainError(
            NOT_ABOUT_APPLICANT, code="not_about_applicant", field="concerns_applicant"
        )
    if request.applicant_type not in REASON_APPLICANTS[reason]:
        message = REASON_NOT_FOR_APPLICANT % {
            "reason": NonConversionReason(reason).label,
            "type": request.get_applicant_type_display(),
        }
        raise DomainError(message, code="reason_not_for_applicant", field="reason")
    if reason == NonConversionReason.OTHER_PERSONAL and not note.strip():
        raise DomainError(NOTE_REQUIRED, code="required", field="note")


def _decidable(actor: Any, request: DisclosureRequest) -> DisclosureRequest:
    locked = lock(request)
    if not permissions.can_handle_request(actor, locked):
        raise PermissionDenied()
    if locked.status not in DECIDABLE:
        raise InvalidTransition()
    if locked.outcome not in RELEASING_OUTCOMES:
        raise DomainError(NOT_RELEASED, code="not_released")
    if pending_proposal(locked) is not None:
        raise DomainError(PENDING_REVIEW, code="pending_review")
    return locked


def pending_proposal(request: DisclosureRequest) -> ConversionReview | None:
    """Return the "not convert" proposal of ``request`` awaiting review, if any."""
    return request.conversion_reviews.filter(
        status=ConversionReviewStatus.PENDING
    ).first()


def decision_in_force(request: DisclosureRequest) -> ConversionReview | None:
    """Return the record of the decision ``request`` holds now, if any."""
    return (
        request.conversion_reviews.filter(
            status__in=(
                ConversionReviewStatus.IN_FORCE,
                ConversionReviewStatus.APPROVED,
            )
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def conversion_decide(
    *, actor: Any, request: DisclosureRequest, **choice: Unpack[ConversionChoice]
) -> DisclosureRequest:
    """Decide whether released information becomes a disclosure.

    ``convert`` creates a draft (``draft`` gives its catalogue fields; the title
    defaults to the request's); ``link_existing`` attaches the request to an
    already published disclosure of the agency (第四十四条); both take effect at
    once. ``not_convert`` proposes one of the applicant's-own-affairs reasons
    (``concerns_applicant``: the editor confirms the information is about the
    applicant itself) and waits for a reviewer (``conversion_review_approve``).
    """
    check_lengths("conversion", note=choice.get("note", ""))
    locked = _decidable(actor, request)
    if locked.conversion_decision:
        raise DomainError(ALREADY_DECIDED, code="already_decided")
    return _take(actor, locked, **choice)


@transaction.atomic
def conversion_amend(
    *,
    actor: Any,
    request: DisclosureRequest,
    amendment_reason: str,
    **choice: Unpack[ConversionChoice],
) -> DisclosureRequest:
    """Correct the decision in force, with ``amendment_reason``.

    A change to "not convert" is a proposal reviewed like the first one and the
    decision in force holds until it is approved; it is refused once the
    converted disclosure is published (withdrawing it is a reviewer's step). A
    change to "convert" or "link" is the editor's and takes effect at once.
    """
    decision, reason = choice["decision"], choice.get("reason", "")
    note = choice.get("note", "")
    check_lengths("conversion", note=note, amendment_reason=amendment_reason)
    locked = _decidable(actor, request)
    current = decision_in_force(locked)
    if not locked.conversion_decision or current is None:
        raise DomainError(NOTHING_TO_AMEND, code="nothing_to_amend")
    if not amendment_reason.strip():
        raise DomainError(
            AMENDMENT_REASON_REQUIRED, code="required", field="amendment_reason"
        )
    if decision == locked.conversion_decision and (
        decision != ConversionDecision.NOT_CONVERT
        or (reason, note.strip()) == (current.reason, current.note)
    ):
        raise DomainError(AMENDMENT_SAME, code="same", field="decision")
    if (
        locked.conversion_decision != ConversionDecision.NOT_CONVERT
        and locked.disclosure is not None
        and locked.disclosure.status
        not in (DisclosureStatus.DRAFT, DisclosureStatus.SUBMITTED)
    ):
        raise DomainError(AMEND_PUBLISHED, code="published")
    return _take(
        actor,
        locked,
        **choice,
        previous=current,
        amendment_reason=amendment_reason.strip(),
    )


def _take(
    actor: Any,
    locked: DisclosureRequest,
    *,
    decision: str,
    reason: str = "",
    note: str = "",
    concerns_applicant: bool = False,
    disclosure: Disclosure | None = None,
    draft: dict[str, Any] | None = None,
    previous: ConversionReview | None = None,
    amendment_reason: str = "",
) -> DisclosureRequest:
    """Record ``decision`` (a proposal for "not convert") and apply what it can."""
    note = (note or "").strip()
    row = ConversionReview(
        request=locked,
        decision=decision,
        previous=previous,
        amendment_reason=amendment_reason,
        proposed_by=actor,
        proposed_on=today(),
    )
    verb = "request.conversion_amend" if previous else "request.conversion_decide"
    if decision == ConversionDecision.NOT_CONVERT:
        _check_reason(locked, reason, note, concerns_applicant)
        row.reason, row.note, row.concerns_applicant = reason, note, True
        row.status = ConversionReviewStatus.PENDING
        row.save()
        record(
            actor=actor,
            verb="request.conversion_propose",
            obj=locked,
            before=snapshot(locked),
            note=amendment_reason,
            extra=_row_facts(row),
        )
        return locked
    if decision not in (ConversionDecision.CONVERT, ConversionDecision.LINK_EXISTING):
        raise DomainError(DECISION_INVALID, code="invalid", field="decision")
    before = snapshot(locked)
    target = _target(actor, locked, decision, disclosure, draft)
    if previous is not None:
        _replace(previous)
    row.status = ConversionReviewStatus.IN_FORCE
    row.save()
    _put_in_force(locked, row, decided_by=actor, disclosure=target)
    record(
        actor=actor,
        verb=verb,
        obj=locked,
        before=before,
        note=amendment_reason,
        extra=_row_facts(row),
    )
    if decision == ConversionDecision.CONVERT:
        from requests_.services.screen import screen_run

        screen_run(disclosure=target)
    return locked


def _target(
    actor: Any,
    locked: DisclosureRequest,
    decision: str,
    disclosure: Disclosure | None,
    draft: dict[str, Any] | None,
) -> Disclosure:
    if decision == ConversionDecision.CONVERT:
        fields = {"title": locked.title, **(draft or {})}
        return disclosure_create_draft(actor=actor, agency=locked.agency, **fields)
    if (
        disclosure is None
        or disclosure.agency_id != locked.agency_id
        or not disclosure.is_public()
    ):
        raise DomainError(LINK_TARGET, code="link_target", field="disclosure")
    return disclosure


def _replace(previous: ConversionReview) -> None:
    previous.status = ConversionReviewStatus.REPLACED
    previous.save(update_fields=["status"])


def _put_in_force(
    locked: DisclosureRequest,
    row: ConversionReview,
    *,
    decided_by: Any,
    disclosure: Disclosure | None,
) -> None:
    locked.conversion_decision = row.decision
    locked.non_conversion_reason = row.reason
    locked.non_conversion_note = row.note
    locked.conversion_decided_by = decided_by
    locked.conversion_decided_on = today()
    locked.disclosure = disclosure
    locked.save()


def _row_facts(row: ConversionReview) -> dict[str, Any]:
    return {
        "conversion_review": row.pk,
        "proposed_decision": row.decision,
        "proposed_reason": row.reason,
        "review_status": row.status,
    }


def _reviewable(actor: Any, review: ConversionReview) -> tuple:
    locked = lock(review.request)
    row = ConversionReview.objects.select_for_update().get(pk=review.pk)
    if not permissions.can_review_conversion(actor, locked):
        raise PermissionDenied()
    if row.status != ConversionReviewStatus.PENDING:
        raise DomainError(NOT_PENDING, code="not_pending")
    if row.proposed_by_id is not None and row.proposed_by_id == actor.pk:
        raise PermissionDenied(str(OWN_PROPOSAL))
    return locked, row


@transaction.atomic
def conversion_review_approve(
    *, actor: Any, review: ConversionReview, note: str = ""
) -> ConversionReview:
    """Approve a "not convert" proposal: it becomes the decision in force.

    An amendment from "convert" detaches the unpublished draft (it stays among the
    agency's drafts, named in the audit event) and replaces the earlier decision.
    """
    check_lengths("conversion", note=note)
    locked, row = _reviewable(actor, review)
    before = snapshot(locked)
    detached = locked.disclosure.index_no if locked.disclosure_id else ""
    if row.previous_id is not None:
        _replace(row.previous)
    row.status = ConversionReviewStatus.APPROVED
    row.reviewed_by, row.reviewed_on, row.review_note = actor, today(), note.strip()
    row.save()
    _put_in_force(locked, row, decided_by=row.proposed_by, disclosure=None)
    extra = _row_facts(row)
    if detached:
        extra["detached_disclosure"] = detached
    record(
        actor=actor,
        verb="request.conversion_approve",
        obj=locked,
        before=before,
        note=row.review_note,
        extra=extra,
    )
    return row


@transaction.atomic
def conversion_review_return(
    *, actor: Any, review: ConversionReview, reason: str
) -> ConversionReview:
    """Return a "not convert" proposal to the editor with the reviewer's reason."""
    check_lengths("conversion", note=reason)
    if not (reason or "").strip():
        raise DomainError(RETURN_REASON_REQUIRED, code="required", field="reason")
    locked, row = _reviewable(actor, review)
    row.status = ConversionReviewStatus.RETURNED
    row.reviewed_by, row.reviewed_on, row.review_note = actor, today(), reason.strip()
    row.save()
    record(
        actor=actor,
        verb="request.conversion_return",
        obj=locked,
        before=snapshot(locked),
        note=row.review_note,
        extra=_row_facts(row),
    )
    return row


def conversion_close_guard(request: DisclosureRequest) -> None:
    """Refuse to close a request whose conversion is not finished.

    Called by ``request_close`` on the locked row: a "not convert" proposal still
    under review, or a conversion whose disclosure is not yet published, keeps
    the request open.
    """
    if pending_proposal(request) is not None:
        raise DomainError(PENDING_REVIEW, code="pending_review")
    disclosure = request.disclosure
    if (
        request.conversion_decision == ConversionDecision.CONVERT
        and disclosure is not None
        and disclosure.status in (DisclosureStatus.DRAFT, DisclosureStatus.SUBMITTED)
    ):
        raise DomainError(
            DRAFT_UNPUBLISHED % {"index_no": disclosure.index_no},
            code="conversion_unpublished",
        )
