"""Workspace pages for requests: list, registration, detail, one POST per action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from portal.decorators import staff_required
from portal.listing import Listing
from portal.selectors import history
from portal.web import form_status, post_from_page, run_service
from portal.workflow import allowed_actions
from requests_ import forms as f
from requests_ import permissions, selectors, services
from requests_.clock import overdue_days
from requests_.models import Appeal, ApplicantType, RequestStatus
from requests_.transitions import REQUEST_TRANSITIONS, RequestAction
from requests_.views._common import download
from requests_.views.fees import FEE_ACTIONS, FEE_LABELS, repeat_of_form
from requests_.views.public import IDENTITY_POST_FIELDS, status_url

SESSION_SECRET = "requests_staff_receipt"  # noqa: S105 - a session key name


def _scoped(request: HttpRequest, pk: int) -> Any:
    return selectors.readable_request(request.user, pk)


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    due = request.GET.get("due") or None
    kind = request.GET.get("kind") or None
    q = request.GET.get("q", "")[:100]
    # A due filter lists the nearest deadline first unless a column is chosen.
    listing = Listing.from_request(
        request, selectors.REQUEST_SORTS, default="due" if due else None
    )
    items = selectors.request_list(
        request.user,
        status=status,
        due=due,
        q=q,
        applicant_type=kind,
        sort=listing.value,
    )
    context = {
        "page": listing.paginate(items),
        "listing": listing,
        "status": status,
        "due": due,
        "kind": kind,
        "q": q,
        "kinds": ApplicantType.choices,
        "statuses": RequestStatus.choices,
        "can_register": permissions.registering_agencies_qs(request.user).exists(),
    }
    return render(request, "requests_/workspace/request_list.html", context)


@staff_required
@sensitive_post_parameters(*IDENTITY_POST_FIELDS)
def request_register(request: HttpRequest) -> HttpResponse:
    agencies = permissions.registering_agencies_qs(request.user)
    if not agencies.exists():
        raise PermissionDenied
    form = f.RegisterRequestForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.request_register(actor=request.user, **form.cleaned_data),
            form=form,
        )
        if done:
            registered = done.value
            request.session[SESSION_SECRET] = registered.secret
            messages.success(
                request,
                _("已登记申请 %(code)s。") % {"code": registered.request.tracking_code},
            )
            return redirect("requests_:request_detail", pk=registered.request.pk)
    return render(
        request,
        "requests_/workspace/request_form.html",
        {"form": form},
        status=form_status(form),
    )


def _action_forms(item: Any, user: Any) -> list[tuple[str, str, forms.Form]]:
    from negative_list.selectors import published_entries

    labels = {
        RequestAction.CONFIRM: _("确认收到网上申请"),
        RequestAction.ACCEPT: _("受理"),
        RequestAction.REQUEST_CORRECTION: _("告知补正"),
        RequestAction.RECEIVE_CORRECTION: _("登记补正"),
        RequestAction.LAPSE: _("逾期未补正，终止办理"),
        RequestAction.EXTEND: _("批准延期"),
        RequestAction.PAUSE: _("征求意见（停止计时）"),
        RequestAction.RESUME: _("收到意见，恢复计时"),
        RequestAction.RUN_OUT: _("征求意见期限届满未答复，恢复计时"),
        RequestAction.REPLY: _("答复"),
        RequestAction.CLOSE: _("办结"),
        RequestAction.WITHDRAW: _("申请人撤回"),
        **FEE_LABELS,
    }
    result = []
    for action in allowed_actions(REQUEST_TRANSITIONS, item, user):
        label = labels[RequestAction(action)]
        # The same form class the action's POST handler validates with.
        form_class = ACTIONS[action][0]
        # Several forms share one page: give each its own element ids.
        auto_id = f"id_{action}_%s"
        if form_class is f.ReplyForm:
            form = form_class(entries=published_entries(item.agency), auto_id=auto_id)
        else:
            form = form_class(auto_id=auto_id)
        result.append((action, label, form))
    return result


@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, _scoped(request, pk))


def _request_page(
    request: HttpRequest, item: Any, *, status: int = 200
) -> HttpResponse:
    """Render the request's page; an action refused or invalid re-renders it (400)."""
    from requests_.views.conversion import conversion_context

    user = request.user
    can_handle = permissions.can_handle_request(user, item)
    secret = request.session.pop(SESSION_SECRET, None)
    context = {
        "item": item,
        "identity": selectors.identity(user, item),
        "identity_masked": not permissions.can_read_identity(user, item),
        "deadlines": selectors.deadlines(item),
        "days_left": item.days_left(),
        "overdue": overdue_days(item, timezone.localdate()),
        "actions": _action_forms(item, user),
        "appeals": [
            (
                appeal,
                f.AppealDecideForm(auto_id=f"id_appeal{appeal.pk}_%s")
                if can_handle
                else None,
            )
            for appeal in item.appeals.all()
        ],
        "appeal_form": f.AppealForm(auto_id="id_appeal_%s") if can_handle else None,
        "conversion": conversion_context(user, item),
        "repeat_form": repeat_of_form(user, item),
        "similar": selectors.similar_disclosures(item)
        if item.is_open or item.needs_conversion_decision
        else [],
        "history": history(user, item)[:100],
        "status_link": request.build_absolute_uri(
            status_url(item.tracking_code, secret)
        )
        if secret
        else None,
    }
    return render(
        request, "requests_/workspace/request_detail.html", context, status=status
    )


# Each step's form and service; the service gets the actor, the request and the
# form's fields by name.
ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    RequestAction.CONFIRM: (f.OnDateForm, services.request_confirm_receipt),
    RequestAction.ACCEPT: (f.EmptyForm, services.request_accept),
    RequestAction.REQUEST_CORRECTION: (
        f.CorrectionRequestForm,
        services.request_correction_request,
    ),
    RequestAction.RECEIVE_CORRECTION: (
        f.CorrectionReceiveForm,
        services.request_correction_receive,
    ),
    RequestAction.LAPSE: (f.OnDateForm, services.request_lapse),
    RequestAction.EXTEND: (f.ExtendForm, services.request_extension_approve),
    RequestAction.PAUSE: (f.PauseForm, services.request_consultation_start),
    RequestAction.RESUME: (f.OnDateForm, services.request_consultation_end),
    RequestAction.RUN_OUT: (f.OnDateForm, services.request_consultation_run_out),
    RequestAction.REPLY: (f.ReplyForm, services.request_reply),
    RequestAction.CLOSE: (f.OnDateForm, services.request_close),
    RequestAction.WITHDRAW: (f.WithdrawForm, services.request_withdraw),
}


ACTIONS.update(FEE_ACTIONS)


@staff_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _scoped(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, call = ACTIONS[action]
    kwargs: dict[str, Any] = {}
    if form_class is f.ReplyForm:
        from negative_list.selectors import published_entries

        kwargs["entries"] = published_entries(item.agency)
    form = form_class(request.POST, request.FILES, **kwargs)
    return _post(
        request,
        item,
        form,
        lambda data: call(actor=request.user, request=item, **data),
        _("已保存。"),
    )


def _post(
    request: HttpRequest,
    item: Any,
    form: forms.Form,
    call: Callable[[dict], Any],
    done: str,
    then: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    """Validate a form posted from the request's page and run ``call(data)``;
    success answers ``then(value)``, by default the request's page again."""
    return post_from_page(
        request,
        item,
        form,
        call,
        done,
        page=_request_page,
        then=then or (lambda _value: redirect("requests_:request_detail", pk=item.pk)),
    )


@staff_required
@require_POST
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scoped(request, pk)
    return _post(
        request,
        item,
        f.AppealForm(request.POST),
        lambda data: services.appeal_record(actor=request.user, request=item, **data),
        _("已登记。"),
    )


@staff_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int, appeal_pk: int) -> HttpResponse:
    item = _scoped(request, pk)
    appeal = get_object_or_404(Appeal, pk=appeal_pk, request=item)
    return _post(
        request,
        item,
        f.AppealDecideForm(request.POST),
        lambda data: services.appeal_decide(actor=request.user, appeal=appeal, **data),
        _("已保存。"),
    )


@staff_required
def request_letter(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scoped(request, pk)
    if not item.reply_letter:
        raise Http404
    return download(
        item.reply_letter, f"答复书-{item.tracking_code}.pdf", "application/pdf"
    )
