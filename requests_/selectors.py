"""Viewer-scoped reads of requests and disclosures."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.calendar import default_calendar
from portal.listing import SortKeys, choice_order
from portal.permissions import AnyUser
from requests_ import permissions
from requests_.models import (
    IDENTITY_FIELDS,
    ApplicantType,
    ConversionDecision,
    ConversionReview,
    ConversionReviewStatus,
    Disclosure,
    DisclosureRequest,
    DisclosureStatus,
    RequestStatus,
)
from requests_.models.choices import CLOCK_RUNNING_STATUSES, RELEASING_OUTCOMES

DUE_SOON_WORKING_DAYS = 5
SIMILARITY_THRESHOLD = 0.35


# --- Requests ------------------------------------------------------------------------


def due_soon_limit(today: dt.date | None = None) -> dt.date:
    return default_calendar().add_working_days(
        today or timezone.localdate(), DUE_SOON_WORKING_DAYS
    )


# Sort keys a list may be ordered by; anything else keeps the default order.
REQUEST_SORTS = SortKeys(
    {
        "code": ("tracking_code",),
        "title": ("title",),
        "agency": ("agency__tree_path",),
        "received": ("received_on",),
        "due": ("reply_due_on",),
        "status": (choice_order("status", RequestStatus.values),),
    },
    default="-received",
)


DUE_OVERDUE = "overdue"
DUE_SOON = "soon"


def readable_request(user: AnyUser | None, pk: int) -> DisclosureRequest:
    """Return request ``pk`` if ``user`` may read it; a 404 otherwise."""
    return get_object_or_404(
        permissions.readable_requests_qs(user).select_related("agency", "handler"),
        pk=pk,
    )


def request_list(
    user: AnyUser | None,
    *,
    status: str | None = None,
    due: str | None = None,
    agency: Any = None,
    q: str = "",
    applicant_type: str | None = None,
    sort: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[DisclosureRequest]:
    """Return the requests ``user`` may read, filtered, each with its ``due_state``.

    ``due`` is ``overdue`` (reply date passed, clock running) or ``soon`` (due
    within five working days), and every row carries the same word in
    ``due_state`` ("" otherwise) so the list flags it. ``q`` matches the tracking
    code exactly, or the title or description in part; ``applicant_type`` is one of
    ``ApplicantType``; ``sort`` is one of ``REQUEST_SORTS``.
    """
    today = today or timezone.localdate()
    running = Q(status__in=CLOCK_RUNNING_STATUSES)
    qs = (
        permissions.readable_requests_qs(user)
        .select_related("agency", "handler")
        .annotate(
            due_state=Case(
                When(overdue_condition(today), then=Value(DUE_OVERDUE)),
                When(
                    running & Q(reply_due_on__lte=due_soon_limit(today)),
                    then=Value(DUE_SOON),
                ),
                default=Value(""),
                output_field=CharField(),
            )
        )
    )
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    if agency is not None:
        qs = qs.filter(agency__tree_path__startswith=agency.tree_path)
    if applicant_type in ApplicantType.values:
        qs = qs.filter(applicant_type=applicant_type)
    text = " ".join(q.split())
    if text:
        qs = qs.filter(
            Q(tracking_code__iexact=text)
            | Q(title__icontains=text)
            | Q(description__icontains=text)
        )
    if due in (DUE_OVERDUE, DUE_SOON):
        qs = qs.filter(due_state=due)
    if REQUEST_SORTS.parse(sort):
        return REQUEST_SORTS.order(qs, sort)
    return qs.order_by("reply_due_on", "-received_on", "-id") if due else qs


def overdue_condition(today: dt.date) -> Q:
    """Return the condition of a request overdue on ``today``.

    The clock runs and its deadline has passed, or a consultation stopped it
    after the deadline had passed (a pause never erases days already overdue).
    """
    return Q(status__in=CLOCK_RUNNING_STATUSES, reply_due_on__lt=today) | Q(
        status=RequestStatus.CONSULTING, paused_remaining_days__lt=0
    )


def overdue(
    queryset: QuerySet[DisclosureRequest], today: dt.date | None = None
) -> QuerySet[DisclosureRequest]:
    """Return the requests of ``queryset`` overdue on ``today``.

    For how many working days each is overdue, ask ``requests_.clock.overdue_days``
    (or read ``overdue_figures``).
    """
    return queryset.filter(overdue_condition(today or timezone.localdate()))


def overdue_figures(
    queryset: QuerySet[DisclosureRequest], today: dt.date | None = None
) -> dict[int, int]:
    """Return ``{request pk: working days overdue}`` for the overdue requests.

    Counted from the working days actually used (``clock.overdue_days``): days
    paused for a consultation are not counted, days run over before it are kept.
    """
    from requests_.clock import overdue_days

    today = today or timezone.localdate()
    calendar = default_calendar()
    return {
        item.pk: overdue_days(item, today, calendar)
        for item in overdue(queryset, today)
    }


def consultations_run_out(
    queryset: QuerySet[DisclosureRequest], today: dt.date | None = None
) -> QuerySet[DisclosureRequest]:
    """Return the requests of ``queryset`` whose consultation ran out unanswered.

    Those the job resumed (another agency's silence recorded as consent, a third
    party's silence leaving the decision to the agency) until the handler
    replies, and those still consulting past the consultation's 15 working days
    (waiting for the job). Oldest consultation deadline first.
    """
    from requests_.models.choices import OPEN_STATUSES, RAN_OUT_RESULTS

    today = today or timezone.localdate()
    return queryset.filter(
        Q(status__in=OPEN_STATUSES, consultation_result__in=RAN_OUT_RESULTS)
        | Q(status=RequestStatus.CONSULTING, consultation_due_on__lt=today)
    ).order_by("consultation_due_on", "pk")


def unconfirmed_submissions(user: AnyUser | None) -> QuerySet[DisclosureRequest]:
    """Return online submissions awaiting the agency's confirmation, oldest first."""
    return (
        permissions.readable_requests_qs(user)
        .filter(status=RequestStatus.SUBMITTED)
        .select_related("agency")
        .order_by("submitted_on", "created_at", "pk")
    )


def corrections_awaiting(user: AnyUser | None) -> QuerySet[DisclosureRequest]:
    """Return requests waiting for the applicant's correction, oldest deadline first."""
    return (
        permissions.readable_requests_qs(user)
        .filter(status=RequestStatus.CORRECTION_REQUESTED)
        .select_related("agency")
        .order_by("correction_reply_by")
    )


def conversions_to_decide(user: AnyUser | None) -> QuerySet[DisclosureRequest]:
    """Return released requests still waiting for the conversion decision."""
    return (
        permissions.readable_requests_qs(user)
        .filter(
            outcome__in=[o.value for o in RELEASING_OUTCOMES],
            conversion_decision="",
            status__in=[RequestStatus.REPLIED, RequestStatus.CLOSED],
        )
        # A "not convert" proposal under review waits in the reviewers' queue.
        .exclude(conversion_reviews__status=ConversionReviewStatus.PENDING)
        .select_related("agency")
        .order_by("replied_on")
    )


def conversion_reviews_awaiting(user: AnyUser | None) -> QuerySet[ConversionReview]:
    """Return "not convert" proposals ``user`` may review and did not propose."""
    if not getattr(user, "is_authenticated", False):
        return ConversionReview.objects.none()
    return (
        ConversionReview.objects.filter(
            status=ConversionReviewStatus.PENDING,
            request__agency__in=permissions.conversion_reviewing_agencies_qs(user),
        )
        .exclude(proposed_by=user)
        .select_related("request", "request__agency", "proposed_by")
        .order_by("created_at", "id")
    )


def conversions_past_window(
    user: AnyUser | None, *, agency: Any = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Return the conversions ``user`` may read that missed their publishing window.

    A converted request whose disclosure is still a draft or awaiting approval
    after ``PUBLICATION_DAYS`` working days from the decision in force is listed,
    oldest decision first, with ``due`` and ``late`` (working days past it).
    ``agency`` narrows to that agency's own requests.
    """
    today = today or timezone.localdate()
    qs = permissions.readable_requests_qs(user).filter(
        conversion_decision=ConversionDecision.CONVERT,
        conversion_decided_on__isnull=False,
        disclosure__status__in=(DisclosureStatus.DRAFT, DisclosureStatus.SUBMITTED),
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    calendar = default_calendar()
    rows = []
    for item in qs.select_related("agency", "disclosure").order_by(
        "conversion_decided_on", "id"
    ):
        due = calendar.add_working_days(item.conversion_decided_on, PUBLICATION_DAYS)
        if due < today:
            late = calendar.working_days_between(due, today)
            rows.append({"request": item, "due": due, "late": late})
    return rows


def identity(user: AnyUser | None, request: DisclosureRequest) -> dict[str, str] | None:
    """Return the applicant's identity as ``user`` may read it, or None.

    The handling agency's editors and reviewers read it in full
    (``permissions.can_read_identity``); anyone else who reads the request (a
    city-wide reviewer or coordinator, a superuser) reads it masked.
    """
    if permissions.can_read_identity(user, request):
        return {name: getattr(request, name) for name in IDENTITY_FIELDS}
    if not permissions.can_read_request(user, request):
        return None
    return masked_identity(request)


def masked_identity(request: DisclosureRequest) -> dict[str, str]:
    """Return the applicant's identity masked: surname, ID and phone ends only."""
    from requests_.screening import _mask_digits, _mask_email, _mask_mobile, _mask_name

    def id_number(value: str) -> str:
        size = sum(1 for char in value if char.isascii() and char.isalnum())
        if size >= 15:
            return _mask_digits(value, keep_head=6, keep_tail=4)
        return _mask_digits(value, keep_head=0, keep_tail=min(4, size // 3))

    def phone(value: str) -> str:
        size = sum(1 for char in value if char.isdigit())
        if size >= 11:
            return _mask_mobile(value)
        return _mask_digits(value, keep_head=0, keep_tail=min(4, size // 3))

    maskers = {
        "applicant_name": _mask_name,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "applicant_email": _mask_email,
        "applicant_address": _mask_name,
    }
    return {
        name: maskers.get(name, _mask_name)(value) if value else ""
        for name in IDENTITY_FIELDS
        for value in [getattr(request, name) or ""]
    }


CONSULTATION_DUE_LABELS = {
    "third_party": _lazy("第三方意见期限（第三十二条）"),
    "agency": _lazy("被征求意见机关答复期限（第三十四条）"),
}


def deadlines(request: DisclosureRequest) -> list[dict[str, Any]]:
    """Return every stored deadline of a request with its explanation."""
    rows = []
    if (
        request.status in CLOCK_RUNNING_STATUSES
        and request.correction_due_on
        and request.correction_requested_on is None
    ):
        rows.append(
            {
                "key": "correction_notice",
                "label": _("补正告知期限"),
                "due": request.correction_due_on,
                "explanation": request.correction_due_explanation,
                "detail": request.correction_due_detail,
                "provisional": bool(request.correction_due_detail.get("provisional")),
            }
        )
    if request.status == RequestStatus.CORRECTION_REQUESTED:
        rows.append(
            {
                "key": "applicant_correction",
                "label": _("申请人补正期限"),
                "due": request.correction_reply_by,
                "explanation": _("答复期限停止计算，自收到补正申请之日起重新计算。"),
                "detail": {},
                "provisional": False,
            }
        )
    opinion = request.reply_due_detail.get("consultation")
    if request.status == RequestStatus.CONSULTING and opinion:
        rows.append(
            {
                "key": "consultation_opinion",
                "label": CONSULTATION_DUE_LABELS.get(
                    request.consultation_kind, _("征求意见期限")
                ),
                "due": request.consultation_due_on,
                "explanation": f"{opinion['note']}\n{opinion['explanation']}",
                "detail": opinion,
                "provisional": opinion["provisional"],
            }
        )
    if request.reply_due_on or request.status == RequestStatus.CONSULTING:
        rows.append(
            {
                "key": "reply",
                "label": _("答复期限"),
                "due": request.reply_due_on,
                "explanation": request.reply_due_explanation,
                "detail": request.reply_due_detail,
                "provisional": request.reply_due_provisional,
            }
        )
    return rows


# --- 第四十四条: several applicants asking for the same information -------------------


def _tokens(text: str) -> set[str]:
    """Return character bigrams of the CJK runs and the words of the rest."""
    tokens: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        tokens.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    tokens.update(w.lower() for w in re.findall(r"[A-Za-z0-9]{2,}", text))
    return tokens


def similar_disclosures(
    request: DisclosureRequest, limit: int = 3
) -> list[tuple[Disclosure, float]]:
    """Return published disclosures of the agency that look like the request.

    The score is the share of the request's title tokens (and half-weight
    description tokens) found in a disclosure's title, keywords and summary; a
    suggestion, not a decision.
    """
    wanted = _tokens(request.title)
    described = _tokens(request.description) - wanted
    if not wanted:
        return []
    scored = []
    for disclosure in Disclosure.objects.public().filter(agency=request.agency)[:500]:
        have = _tokens(f"{disclosure.title} {disclosure.keywords} {disclosure.summary}")
        score = len(wanted & have) / len(wanted)
        if described:
            score = 0.8 * score + 0.2 * len(described & have) / len(described)
        if score >= SIMILARITY_THRESHOLD:
            scored.append((disclosure, round(score, 2)))
    scored.sort(key=lambda item: -item[1])
    return scored[:limit]


# --- Disclosures ---------------------------------------------------------------------


def public_disclosure(index_no: str) -> Disclosure | None:
    """Return the disclosure with ``index_no`` if public now or tombstoned."""
    now = timezone.now()
    return (
        Disclosure.objects.filter(index_no=index_no)
        .filter(
            Q(status=DisclosureStatus.PUBLISHED, publish_at__lte=now)
            | Q(status=DisclosureStatus.WITHDRAWN, publish_at__lte=now)
        )
        .select_related("agency", "topic", "topic__parent")
        .prefetch_related("attachments")
        .first()
    )


DISCLOSURE_SORTS = SortKeys(
    {
        "index_no": ("index_no",),
        "title": ("title",),
        "agency": ("agency__tree_path",),
        "status": (choice_order("status", DisclosureStatus.values),),
        "submitted": ("submitted_at",),
        "published": ("publish_at",),
        "updated": ("updated_at",),
    },
    default="-updated",
)
# The approval queue: the oldest submission waits longest, so it comes first.
APPROVAL_QUEUE_SORT = "submitted"
AWAITING_MY_APPROVAL = "mine"


def staff_disclosure(user: AnyUser | None, pk: int) -> Disclosure:
    """Return disclosure ``pk`` if ``user`` may see it in the workspace; else 404."""
    return get_object_or_404(
        permissions.staff_disclosures_qs(user).select_related("agency", "topic"), pk=pk
    )


def staff_disclosure_list(
    user: AnyUser | None,
    *,
    status: str | None = None,
    awaiting: str | None = None,
    sort: str | None = None,
) -> QuerySet[Disclosure]:
    """Return the disclosures ``user`` may read, filtered, in the order ``sort``.

    ``awaiting="mine"`` narrows the list to the approval queue of ``user``: the
    submitted disclosures they may approve and did not write.
    """
    if awaiting == AWAITING_MY_APPROVAL:
        qs = disclosures_awaiting_approval(user).select_related("topic")
    else:
        qs = permissions.staff_disclosures_qs(user).select_related("agency", "topic")
    if status in DisclosureStatus.values:
        qs = qs.filter(status=status)
    return DISCLOSURE_SORTS.order(qs, sort)


def disclosures_awaiting_approval(user: AnyUser | None) -> QuerySet[Disclosure]:
    """Return submitted disclosures ``user`` may approve and did not write."""
    if not getattr(user, "is_authenticated", False):
        return Disclosure.objects.none()
    return (
        Disclosure.objects.filter(
            status=DisclosureStatus.SUBMITTED,
            agency__in=permissions.approving_agencies_qs(user),
        )
        .exclude(Q(created_by=user) | Q(updated_by=user))
        .select_related("agency")
        .order_by("submitted_at", "id")
    )


# Our rule, after 第二十六条: a converted item is published within 20 working days
# of the conversion decision.
PUBLICATION_DAYS = 20


def publication_deadline(disclosure: Disclosure) -> dict[str, Any] | None:
    """Return the explained publication deadline of an unpublished conversion."""
    if disclosure.status not in (DisclosureStatus.DRAFT, DisclosureStatus.SUBMITTED):
        return None
    decided = (
        disclosure.source_requests.filter(conversion_decided_on__isnull=False)
        .order_by("conversion_decided_on")
        .values_list("conversion_decided_on", flat=True)
        .first()
    )
    if decided is None:
        return None
    deadline = default_calendar().deadline(decided, PUBLICATION_DAYS)
    note = _("自作出转主动公开决定之日起 20 个工作日内发布（参照第二十六条）。")
    return {
        "due": deadline.due,
        "provisional": deadline.provisional,
        "explanation": f"{note}\n{deadline.explain()}",
    }


def latest_public_disclosures(limit: int = 8) -> QuerySet[Disclosure]:
    return Disclosure.objects.public().select_related("agency", "topic")[:limit]
