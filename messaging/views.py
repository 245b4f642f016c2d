"""Workspace pages: a person's digest preference; retrying a failed message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from messaging import permissions, selectors, services
from messaging.forms import DigestPreferenceForm
from portal.decorators import staff_required
from portal.web import form_page, run_service

SAVED = _("已保存您的每日摘要设置。")
REQUEUED = _("邮件已重新排队发送。")


@login_required
def digest_preference(request: HttpRequest) -> HttpResponse:
    """Let the signed-in person switch their own daily digest on or off."""
    # An unticked box posts nothing: bind on the method, not on the data.
    form = DigestPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"receive_digest": selectors.receives_digest(request.user)},
    )
    return form_page(
        request,
        form,
        lambda: services.digest_preference_set(
            actor=request.user, receive_digest=form.cleaned_data["receive_digest"]
        ),
        template="messaging/digest_preference.html",
        done=lambda _pref: redirect("messaging:digest_preference"),
        success_message=SAVED,
    )


@staff_required
@require_POST
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed message of a request the user handles once more.

    A message of a request the user cannot read does not exist for them (404);
    one they can read but not act on is refused by the service (403).
    """
    message = get_object_or_404(
        permissions.visible_messages_qs(request.user).select_related("request__agency"),
        pk=pk,
    )
    run_service(
        request,
        lambda: services.message_retry(actor=request.user, message=message),
        success_message=REQUEUED,
    )
    return redirect("workspace:dashboard")
