"""Workspace pages for disclosures: list, editing, attachments, the screen, approval."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.decorators import staff_required
from portal.errors import DomainError
from portal.listing import Listing
from portal.selectors import history
from portal.workflow import allowed_actions
from requests_ import forms as f
from requests_ import permissions, selectors, services
from requests_.models import DisclosureStatus, ScreeningHit
from requests_.services.screen import (
    TEXT_LOCATIONS,
    hit_context,
    location_label,
    screen_texts,
)
from requests_.transitions import DISCLOSURE_TRANSITIONS, DisclosureAction
from requests_.views._common import download
from requests_.views.workspace import _report


def _scoped(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(
        permissions.staff_disclosures_qs(request.user).select_related(
            "agency", "topic"
        ),
        pk=pk,
    )


def _fail(request: HttpRequest, form: Any, exc: DomainError) -> None:
    if exc.status == 403 and exc.code == "permission_denied":
        raise PermissionDenied from exc
    _report(request, form, exc)


@staff_required
def disclosure_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    awaiting = request.GET.get("awaiting") or None
    if awaiting != selectors.AWAITING_MY_APPROVAL:
        awaiting = None
    # The approval queue shows the longest-waiting submission first by default.
    listing = Listing.from_request(
        request,
        selectors.DISCLOSURE_SORTS,
        default=selectors.APPROVAL_QUEUE_SORT if awaiting else None,
    )
    items = selectors.staff_disclosure_list(
        request.user, status=status, awaiting=awaiting, sort=listing.value
    )
    context = {
        "page": listing.paginate(items),
        "listing": listing,
        "status": status,
        "awaiting": awaiting,
        "statuses": DisclosureStatus.choices,
    }
    return render(request, "requests_/workspace/disclosure_list.html", context)


@staff_required
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _scoped(request, pk)
    user = request.user
    can_edit = (
        permissions.can_edit_disclosure(user, disclosure)
        and disclosure.status == DisclosureStatus.DRAFT
    )
    texts = screen_texts(disclosure)
    attachments = {a.pk: a for a in disclosure.attachments.all()}
    hits = [
        {
            "hit": hit,
            "context": hit_context(hit, texts),
            "where": location_label(hit.location, attachments),
            "maskable": hit.location in TEXT_LOCATIONS,
        }
        for hit in disclosure.screening_hits.select_related("resolved_by")
    ]
    initial = {
        name: getattr(disclosure, name) for name in services.disclosures.EDITABLE_FIELDS
    }
    context = {
        "disclosure": disclosure,
        "can_edit": can_edit,
        "can_approve": permissions.can_approve_disclosure(user, disclosure),
        # Four eyes: whoever wrote or edited it sees why they may not approve.
        "own_work": permissions.took_part_in_disclosure(user, disclosure),
        "form": f.DisclosureForm(initial=initial) if can_edit else None,
        "attachment_form": f.AttachmentForm() if can_edit else None,
        "hits": hits,
        "publication_deadline": selectors.publication_deadline(disclosure),
        "open_hits": sum(1 for h in hits if h["hit"].status == "open"),
        "actions": allowed_actions(DISCLOSURE_TRANSITIONS, disclosure, user),
        "approve_form": f.ApproveForm(),
        "reason_form": f.ReasonForm(),
        "source_requests": disclosure.source_requests.filter(
            pk__in=permissions.readable_requests_qs(user).values("pk")
        ),
        "history": history(user, disclosure)[:100],
    }
    return render(request, "requests_/workspace/disclosure_detail.html", context)


@staff_required
@require_POST
def disclosure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _scoped(request, pk)
    form = f.DisclosureForm(request.POST)
    if form.is_valid():
        try:
            services.disclosure_update(
                actor=request.user, disclosure=disclosure, **form.cleaned_data
            )
        except DomainError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, _("已保存，并已重新筛查个人信息。"))
    else:
        _report(request, form)
    return redirect("requests_:disclosure_detail", pk=disclosure.pk)


@staff_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _scoped(request, pk)
    form = f.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.disclosure_attachment_add(
                actor=request.user,
                disclosure=disclosure,
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, _("附件已上传，文字已提取并筛查。"))
    else:
        _report(request, form)
    return redirect("requests_:disclosure_detail", pk=disclosure.pk)


@staff_required
@require_POST
def attachment_remove(
    request: HttpRequest, pk: int, attachment_pk: int
) -> HttpResponse:
    disclosure = _scoped(request, pk)
    attachment = get_object_or_404(disclosure.attachments, pk=attachment_pk)
    try:
        services.disclosure_attachment_remove(actor=request.user, attachment=attachment)
    except DomainError as exc:
        _fail(request, f.EmptyForm(), exc)
    else:
        messages.success(request, _("附件已删除。"))
    return redirect("requests_:disclosure_detail", pk=disclosure.pk)


@staff_required
def attachment_download(
    request: HttpRequest, pk: int, attachment_pk: int
) -> HttpResponse:
    disclosure = _scoped(request, pk)
    attachment = get_object_or_404(disclosure.attachments, pk=attachment_pk)
    return download(attachment.file, attachment.original_name, attachment.content_type)


@staff_required
@require_POST
def hit_resolve(request: HttpRequest, pk: int, hit_pk: int, how: str) -> HttpResponse:
    disclosure = _scoped(request, pk)
    if how not in {"accept", "mask"}:
        raise Http404
    hit = get_object_or_404(ScreeningHit, pk=hit_pk, disclosure=disclosure)
    form = f.ReasonForm(request.POST) if how == "accept" else f.EmptyForm(request.POST)
    if not form.is_valid():
        _report(request, form)
        return redirect("requests_:disclosure_detail", pk=disclosure.pk)
    try:
        if how == "accept":
            services.screen_hit_accept(
                actor=request.user, hit=hit, reason=form.cleaned_data["reason"]
            )
        else:
            services.screen_hit_mask(actor=request.user, hit=hit)
    except DomainError as exc:
        _fail(request, form, exc)
    else:
        messages.success(request, _("已处理。"))
    return redirect("requests_:disclosure_detail", pk=disclosure.pk)


@staff_required
@require_POST
def screen_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _scoped(request, pk)
    try:
        services.screen_rerun(actor=request.user, disclosure=disclosure)
    except DomainError as exc:
        _fail(request, f.EmptyForm(), exc)
    else:
        messages.success(request, _("已重新筛查。"))
    return redirect("requests_:disclosure_detail", pk=disclosure.pk)


@staff_required
@require_POST
def disclosure_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    disclosure = _scoped(request, pk)
    user = request.user
    form: Any = f.EmptyForm(request.POST)
    try:
        if action == DisclosureAction.SUBMIT:
            services.disclosure_submit(actor=user, disclosure=disclosure)
        elif action == DisclosureAction.APPROVE:
            form = f.ApproveForm(request.POST)
            if not form.is_valid():
                _report(request, form)
                return redirect("requests_:disclosure_detail", pk=disclosure.pk)
            services.disclosure_approve(
                actor=user,
                disclosure=disclosure,
                publish_at=form.cleaned_data["publish_at"],
            )
        elif action in (DisclosureAction.RETURN, DisclosureAction.WITHDRAW):
            form = f.ReasonForm(request.POST)
            if not form.is_valid():
                _report(request, form)
                return redirect("requests_:disclosure_detail", pk=disclosure.pk)
            call = (
                services.disclosure_return
                if action == DisclosureAction.RETURN
                else services.disclosure_withdraw
            )
            call(actor=user, disclosure=disclosure, reason=form.cleaned_data["reason"])
        else:
            return redirect("requests_:disclosure_detail", pk=disclosure.pk)
    except DomainError as exc:
        _fail(request, form, exc)
    else:
        messages.success(request, _("已完成。"))
    return redirect("requests_:disclosure_detail", pk=disclosure.pk)
