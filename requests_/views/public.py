"""Public pages: the online request form, the applicant's status link, and the
disclosure page of the column. None of them shows who the applicant is."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from portal.web import REFUSED, form_status, run_service
from requests_ import projection, selectors, services
from requests_.forms import CorrectionAnswerForm, OnlineRequestForm, TrackForm
from requests_.models import DisclosureRequest, DisclosureStatus
from requests_.transitions import REQUEST_TRANSITIONS, RequestAction
from requests_.views._common import (
    LOOKUP_LIMIT,
    LOOKUP_WINDOW,
    count_attempt,
    download,
    online_form_limit,
    over_limit,
)

SESSION_RECEIPT = "requests_receipt"
# Wrong secrets for one tracking code, from anywhere, before further wrong ones
# for it are refused (the address limit, LOOKUP_LIMIT, counts across codes).
CODE_GUESS_LIMIT = 10
CODE_GUESS_WINDOW = 3600
GUESSING_REFUSED = gettext_lazy(
    "错误的查询码或查询密钥尝试过多，请稍后再试。"
    "使用提交申请时获得的完整查询链接可以随时查看申请进度。"
)
IDENTITY_POST_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)


def status_url(code: str, secret: str) -> str:
    return reverse("requests_:status", args=[code, secret])


@sensitive_post_parameters(*IDENTITY_POST_FIELDS)
def apply(request: HttpRequest) -> HttpResponse:
    """Take a request from the public, without an account, rate-limited per address."""
    form = OnlineRequestForm(request.POST or None)
    if request.method == "POST":
        limit, window = online_form_limit()
        if over_limit(request, "online", limit, window):
            response = render(request, "requests_/public/rate_limited.html", status=429)
            response["Retry-After"] = str(window)
            return response
        submitted = form.is_valid() and run_service(
            request,
            lambda: services.request_submit_online(**form.cleaned_data),
            form=form,
        )
        if submitted:
            registered = submitted.value
            similar = selectors.similar_disclosures(registered.request)
            request.session[SESSION_RECEIPT] = {
                "code": registered.request.tracking_code,
                "secret": registered.secret,
                "similar": [(d.index_no, d.title) for d, _ in similar],
            }
            return redirect("requests_:submitted")
    return render(
        request,
        "requests_/public/apply.html",
        {"form": form},
        status=form_status(form),
    )


def submitted(request: HttpRequest) -> HttpResponse:
    """Show the tracking code and the secret link once."""
    receipt = request.session.pop(SESSION_RECEIPT, None)
    if receipt is None:
        return redirect("requests_:track")
    context = {
        "code": receipt["code"],
        "secret": receipt["secret"],
        "link": request.build_absolute_uri(
            status_url(receipt["code"], receipt["secret"])
        ),
        "similar": receipt.get("similar", []),
        **_next_step(receipt["code"]),
    }
    return render(request, "requests_/public/submitted.html", context)


def _next_step(code: str) -> dict[str, object]:
    """What happens next: the reply date to expect and how the applicant hears.

    An online request is received on the day the agency confirms it (第三十一条),
    so until then the date is the one that holds if it confirms today.
    """
    from django.utils import timezone

    from portal.calendar import add_working_days
    from requests_.clock import REPLY_DAYS

    found = DisclosureRequest.objects.filter(tracking_code=code).first()
    if found is None:
        return {}
    confirmed = found.received_on is not None and found.reply_due_on is not None
    start = found.submitted_on or timezone.localdate()
    return {
        "reply_days": REPLY_DAYS,
        "expected_reply": found.reply_due_on
        if confirmed
        else add_working_days(start, REPLY_DAYS),
        "receipt_confirmed": confirmed,
        "email_given": bool(found.applicant_email),
    }


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect(
            status_url(
                form.cleaned_data["tracking_code"].strip().upper(),
                form.cleaned_data["secret"].strip(),
            )
        )
    return render(request, "requests_/public/track.html", {"form": form})


class GuessingRefused(Exception):
    """Too many wrong secrets for this code or from this address."""


def _tracked(request: HttpRequest, code: str, secret: str) -> DisclosureRequest:
    """Return the request the link names; raise Http404 or ``GuessingRefused``.

    The secret is checked first, so a right link always opens, however many wrong
    guesses its code or its address (a family's shared gateway) has seen: a
    guesser cannot lock the applicant out. Only failures count, per address and
    per code (the code as typed, existing or not, so a refusal says nothing about
    whether the code exists); past either limit a wrong guess gets 429 instead of
    404. The secret is 192 random bits, so the limits are not what stops a
    brute-force search; they stop one address, or many addresses on one code,
    from making the portal do it.
    """
    found = (
        DisclosureRequest.objects.select_related("agency")
        .filter(tracking_code=code)
        .first()
    )
    if found is not None and services.secret_matches(found, secret):
        return found
    by_address = over_limit(request, "lookup", LOOKUP_LIMIT, LOOKUP_WINDOW)
    digest = hashlib.sha256(code.encode()).hexdigest()
    by_code = (
        count_attempt(f"requests_:rate:lookup-code:{digest}", CODE_GUESS_WINDOW)
        > CODE_GUESS_LIMIT
    )
    if by_address or by_code:
        raise GuessingRefused
    raise Http404


def tracked_link(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Resolve ``code`` + ``secret`` to the request, or answer 404 / 429."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, code: str, secret: str, **more: Any
    ) -> HttpResponse:
        try:
            tracked = _tracked(request, code, secret)
        except GuessingRefused:
            response = render(
                request,
                "requests_/public/rate_limited.html",
                {"limit_message": GUESSING_REFUSED},
                status=429,
            )
            response["Retry-After"] = str(LOOKUP_WINDOW)
            return response
        return view(request, tracked, code, secret, **more)

    return wrapper


@tracked_link
def status(
    request: HttpRequest, tracked: DisclosureRequest, code: str, secret: str
) -> HttpResponse:
    return _status_page(request, tracked, secret)


def _status_page(
    request: HttpRequest,
    tracked: DisclosureRequest,
    secret: str,
    *,
    form: CorrectionAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "item": tracked,
        "secret": secret,
        "deadlines": selectors.deadlines(tracked),
        "can_correct": tracked.status
        in REQUEST_TRANSITIONS[RequestAction.RECEIVE_CORRECTION].sources,
        "can_withdraw": tracked.status
        in REQUEST_TRANSITIONS[RequestAction.WITHDRAW].sources,
        "correction_form": form or CorrectionAnswerForm(),
    }
    return render(request, "requests_/public/status.html", context, status=status)


@require_POST
@tracked_link
def status_correction(
    request: HttpRequest, tracked: DisclosureRequest, code: str, secret: str
) -> HttpResponse:
    form = CorrectionAnswerForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.request_correction_receive(
            actor=request.user,
            request=tracked,
            text=form.cleaned_data["text"],
            applicant_secret=secret,
        ),
        form=form,
        success_message=_("补正内容已提交，答复期限自今日起重新计算。"),
    ):
        return redirect(status_url(code, secret))
    return _status_page(request, tracked, secret, form=form, status=REFUSED)


@require_POST
@tracked_link
def status_withdraw(
    request: HttpRequest, tracked: DisclosureRequest, code: str, secret: str
) -> HttpResponse:
    withdrawn = run_service(
        request,
        lambda: services.request_withdraw(
            actor=request.user, request=tracked, applicant_secret=secret
        ),
        success_message=_("申请已撤回。"),
    )
    if withdrawn:
        return redirect(status_url(code, secret))
    return _status_page(request, tracked, secret, status=withdrawn.status)


@tracked_link
def status_letter(
    request: HttpRequest, tracked: DisclosureRequest, code: str, secret: str
) -> HttpResponse:
    if not tracked.reply_letter:
        # A redirect, not a 404: a 404 would write the secret link to the log.
        return redirect(status_url(code, secret))
    return download(
        tracked.reply_letter, f"答复书-{tracked.tracking_code}.pdf", "application/pdf"
    )


def disclosure_detail(request: HttpRequest, index_no: str) -> HttpResponse:
    """Show a public disclosure with its metadata panel, or the tombstone (410)."""
    disclosure = selectors.public_disclosure(index_no)
    if disclosure is None:
        raise Http404
    if disclosure.status == DisclosureStatus.WITHDRAWN:
        return render(
            request,
            "requests_/public/tombstone.html",
            {"disclosure": disclosure},
            status=410,
        )
    # The page shows the public projection, like the API, feeds and open data.
    public = projection.project(disclosure)
    context = {
        "index_no": disclosure.index_no,
        "public": public,
        "catalogue": projection.catalogue(public),
    }
    return render(request, "requests_/public/disclosure.html", context)


def disclosure_attachment(request: HttpRequest, index_no: str, pk: int) -> HttpResponse:
    disclosure = selectors.public_disclosure(index_no)
    if disclosure is None or disclosure.status != DisclosureStatus.PUBLISHED:
        raise Http404
    # Only a stored file without metadata leaves (cleaned on upload or since).
    cleaned = disclosure.attachments.filter(metadata_removed=True)
    attachment = get_object_or_404(cleaned, pk=pk)
    return download(attachment.file, attachment.original_name, attachment.content_type)
