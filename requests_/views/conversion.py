"""Workspace pages of the conversion decision: decide, amend, review, late list.

Each POST comes from the request's page and answers like the other actions there
(``workspace._post``): a refusal re-renders the page with the message.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.decorators import staff_required
from requests_ import forms as f
from requests_ import permissions, selectors, services
from requests_.models import ConversionReview, DisclosureRequest
from requests_.services import conversion
from requests_.views.workspace import _post, _scoped


def conversion_context(user: Any, item: DisclosureRequest) -> dict[str, Any]:
    """Return what the request's page shows and offers about its conversion."""
    can_handle = permissions.can_handle_request(user, item)
    pending = conversion.pending_proposal(item)
    history = list(item.conversion_reviews.select_related("proposed_by", "reviewed_by"))
    kind = item.applicant_type
    decidable = can_handle and pending is None and item.status in conversion.DECIDABLE
    can_review = (
        pending is not None
        and permissions.can_review_conversion(user, item)
        and pending.proposed_by_id != user.pk
    )
    return {
        "pending": pending,
        "history": history,
        "returned": history[-1]
        if history and history[-1].status == "returned"
        else None,
        "decide_form": f.ConversionForm(auto_id="id_conversion_%s", applicant_type=kind)
        if decidable and item.needs_conversion_decision
        else None,
        "amend_form": f.ConversionAmendForm(auto_id="id_amend_%s", applicant_type=kind)
        if decidable and item.conversion_decision
        else None,
        "approve_form": f.ConversionApproveForm(auto_id="id_approve_%s")
        if can_review
        else None,
        "return_form": f.ConversionReturnForm(auto_id="id_return_%s")
        if can_review
        else None,
    }


def _to_draft_or_request(item: DisclosureRequest):
    def then(decided: DisclosureRequest) -> HttpResponse:
        if decided.disclosure_id and decided.disclosure.status == "draft":
            return redirect("requests_:disclosure_detail", pk=decided.disclosure_id)
        return redirect("requests_:request_detail", pk=item.pk)

    return then


@staff_required
@require_POST
def conversion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scoped(request, pk)
    return _post(
        request,
        item,
        f.ConversionForm(request.POST, applicant_type=item.applicant_type),
        lambda data: services.conversion_decide(
            actor=request.user, request=item, **conversion.conversion_choice(item, data)
        ),
        _("已记录转主动公开决定。"),
        _to_draft_or_request(item),
    )


@staff_required
@require_POST
def conversion_amend(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scoped(request, pk)
    return _post(
        request,
        item,
        f.ConversionAmendForm(request.POST, applicant_type=item.applicant_type),
        lambda data: services.conversion_amend(
            actor=request.user,
            request=item,
            amendment_reason=data["amendment_reason"],
            **conversion.conversion_choice(item, data),
        ),
        _("已记录更正。"),
        _to_draft_or_request(item),
    )


@staff_required
@require_POST
def conversion_review(
    request: HttpRequest, pk: int, review_pk: int, how: str
) -> HttpResponse:
    item = _scoped(request, pk)
    review = get_object_or_404(ConversionReview, pk=review_pk, request=item)
    if how == "approve":
        return _post(
            request,
            item,
            f.ConversionApproveForm(request.POST),
            lambda data: services.conversion_review_approve(
                actor=request.user, review=review, note=data["note"]
            ),
            _("已批准不转为主动公开。"),
        )
    if how == "return":
        return _post(
            request,
            item,
            f.ConversionReturnForm(request.POST),
            lambda data: services.conversion_review_return(
                actor=request.user, review=review, reason=data["reason"]
            ),
            _("已退回编辑。"),
        )
    raise Http404


@staff_required
def conversions_late(request: HttpRequest) -> HttpResponse:
    """List the conversions past their publishing window (one agency with ?agency)."""
    agency = None
    code = request.GET.get("agency", "")[:32]
    if code:
        agency = get_object_or_404(
            permissions.report_agencies_qs(request.user), code=code
        )
    rows = selectors.conversions_past_window(request.user, agency=agency)
    return render(
        request,
        "requests_/workspace/conversions_late.html",
        {"rows": rows, "agency": agency, "days": selectors.PUBLICATION_DAYS},
    )
