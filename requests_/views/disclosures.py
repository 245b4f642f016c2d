"""Workspace pages for disclosures: list, editing, attachments, the screen, approval."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.decorators import staff_required
from portal.listing import Listing
from portal.selectors import history
from portal.web import REFUSED, post_from_page, run_service
from portal.workflow import allowed_actions
from requests_ import forms as f
from requests_ import permissions, selectors, services
from requests_.models import DisclosureStatus, HitStatus, ScreeningHit
from requests_.services.disclosures import publication_refusals
from requests_.services.screen import (
    TEXT_LOCATIONS,
    hit_context,
    location_label,
    screen_texts,
)
from requests_.transitions import DISCLOSURE_TRANSITIONS, DisclosureAction
from requests_.views._common import download


def _scoped(request: HttpRequest, pk: int) -> Any:
    return selectors.staff_disclosure(request.user, pk)


def _after(request: HttpRequest, disclosure: Any, done: Any) -> HttpResponse:
    """Go back to the disclosure's page, or re-render it (400) when refused."""
    if not done:
        return _disclosure_page(request, disclosure, status=REFUSED)
    return redirect("requests_:disclosure_detail", pk=disclosure.pk)


def _post(
    request: HttpRequest,
    disclosure: Any,
    form: Any,
    call: Callable[[dict], Any],
    done: str,
) -> HttpResponse:
    """Validate a form posted from the disclosure's page and run ``call(data)``."""
    return post_from_page(
        request,
        disclosure,
        form,
        call,
        done,
        page=_disclosure_page,
        then=lambda _value: redirect("requests_:disclosure_detail", pk=disclosure.pk),
    )


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
    return _disclosure_page(request, _scoped(request, pk))


def _disclosure_page(
    request: HttpRequest, disclosure: Any, *, status: int = 200
) -> HttpResponse:
    user = request.user
    can_edit = (
        permissions.can_edit_disclosure(user, disclosure)
        and disclosure.status == DisclosureStatus.DRAFT
    )
    hits = _hit_rows(disclosure)
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
        "open_hits": sum(1 for h in hits if h["hit"].status == HitStatus.OPEN),
        # What approval would refuse, said before anyone tries (the service's own
        # messages): open screening hits, attachments with their metadata.
        "publication_warnings": [e.message for e in publication_refusals(disclosure)]
        if disclosure.status in (DisclosureStatus.DRAFT, DisclosureStatus.SUBMITTED)
        else [],
        "actions": allowed_actions(DISCLOSURE_TRANSITIONS, disclosure, user),
        "approve_form": f.ApproveForm(),
        "reason_form": f.ReasonForm(),
        "source_requests": disclosure.source_requests.filter(
            pk__in=permissions.readable_requests_qs(user).values("pk")
        ),
        "history": history(user, disclosure)[:100],
    }
    return render(
        request, "requests_/workspace/disclosure_detail.html", context, status=status
    )


def _hit_rows(disclosure: Any) -> list[dict[str, Any]]:
    """The screening hits with their context, place in words, and how to resolve."""
    texts = screen_texts(disclosure)
    attachments = {a.pk: a for a in disclosure.attachments.all()}
    return [
        {
            "hit": hit,
            "context": hit_context(hit, texts),
            "where": location_label(hit.location, attachments),
            "maskable": hit.location in TEXT_LOCATIONS,
        }
        for hit in disclosure.screening_hits.select_related("resolved_by")
    ]


def _open_hits_message(disclosure: Any) -> str | None:
    """Say which hits are open, where, and what to do, or None when none are."""
    rows = [r for r in _hit_rows(disclosure) if r["hit"].status == HitStatus.OPEN]
    if not rows:
        return None
    places = "；".join(f"{r['where']}：{r['hit'].kind_label}" for r in rows)
    return OPEN_HITS_NEXT_STEP % {"count": len(rows), "places": places}


@staff_required
@require_POST
def disclosure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _scoped(request, pk)
    return _post(
        request,
        disclosure,
        f.DisclosureForm(request.POST),
        lambda data: services.disclosure_update(
            actor=request.user, disclosure=disclosure, **data
        ),
        _("已保存，并已重新筛查个人信息。"),
    )


@staff_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _scoped(request, pk)
    return _post(
        request,
        disclosure,
        f.AttachmentForm(request.POST, request.FILES),
        lambda data: services.disclosure_attachment_add(
            actor=request.user, disclosure=disclosure, upload=data["file"]
        ),
        _("附件已上传，文字已提取并筛查。"),
    )


@staff_required
@require_POST
def attachment_remove(
    request: HttpRequest, pk: int, attachment_pk: int
) -> HttpResponse:
    disclosure = _scoped(request, pk)
    attachment = get_object_or_404(disclosure.attachments, pk=attachment_pk)
    done = run_service(
        request,
        lambda: services.disclosure_attachment_remove(
            actor=request.user, attachment=attachment
        ),
        success_message=_("附件已删除。"),
    )
    return _after(request, disclosure, done)


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

    def accept(data: dict) -> Any:
        return services.screen_hit_accept(
            actor=request.user, hit=hit, reason=data["reason"]
        )

    def mask(data: dict) -> Any:
        return services.screen_hit_mask(actor=request.user, hit=hit)

    if how == "accept":
        form, call = f.ReasonForm(request.POST), accept
    else:
        form, call = f.EmptyForm(request.POST), mask
    return _post(request, disclosure, form, call, _("已处理。"))


@staff_required
@require_POST
def screen_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _scoped(request, pk)
    done = run_service(
        request,
        lambda: services.screen_rerun(actor=request.user, disclosure=disclosure),
        success_message=_("已重新筛查。"),
    )
    return _after(request, disclosure, done)


@staff_required
@require_POST
def disclosure_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    disclosure = _scoped(request, pk)
    if action not in ACTIONS:
        return redirect("requests_:disclosure_detail", pk=disclosure.pk)
    form_class, call = ACTIONS[action]

    def act(data: dict) -> Any:
        return call(actor=request.user, disclosure=disclosure, **data)

    response = _post(
        request, disclosure, form_class(request.POST), act, str(DONE[action])
    )
    if action == DisclosureAction.SUBMIT and response.status_code == 302:
        # Submitted: say what the screen found and what must happen before approval.
        warning = _open_hits_message(disclosure)
        if warning:
            messages.warning(request, warning)
    return response


DONE = {
    DisclosureAction.SUBMIT: gettext_lazy("已提交审核。"),
    DisclosureAction.APPROVE: gettext_lazy("已审核通过，信息已发布或将按时发布。"),
    DisclosureAction.RETURN: gettext_lazy("已退回修改。"),
    DisclosureAction.WITHDRAW: gettext_lazy("已撤回，原页面显示撤回理由。"),
}
OPEN_HITS_NEXT_STEP = gettext_lazy(
    "个人信息筛查有%(count)d条待处理结果（%(places)s）。请在本页“个人信息筛查”中"
    "逐条遮盖，或由审核人说明理由后确认保留；处理完毕前不能发布。"
)


ACTIONS: dict[str, tuple[type[Any], Callable[..., Any]]] = {
    DisclosureAction.SUBMIT: (f.EmptyForm, services.disclosure_submit),
    DisclosureAction.APPROVE: (f.ApproveForm, services.disclosure_approve),
    DisclosureAction.RETURN: (f.ReasonForm, services.disclosure_return),
    DisclosureAction.WITHDRAW: (f.ReasonForm, services.disclosure_withdraw),
}
