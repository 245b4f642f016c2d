"""Login lock-out: who is locked, and the response they get.

django-axes counts failed logins per user name and address and locks that pair
after ``AXES_FAILURE_LIMIT`` failures. That alone lets one address try five
passwords against every user name in turn, so ``AddressCapHandler`` adds a cap per
address across user names (``LOGIN_ADDRESS_FAILURE_LIMIT``, higher than the pair
limit so colleagues behind one office gateway do not lock each other out over a
few typos). Both read the same ``AccessAttempt`` rows within the cool-off period.

``lockout_response`` renders the login page again; it says, in Chinese, why the
sign-in is refused and for how long, and the status is 429 so monitoring sees it.
"""

from __future__ import annotations

import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

LOCKED_OUT = _(
    "登录失败次数过多，该账号已在本机地址暂时锁定。请于 %(minutes)d 分钟后再试，"
    "或联系系统管理员解锁。"
)

ADDRESS_LOCKED_OUT = _(
    "本机地址登录失败次数过多，已暂时锁定。请于 %(minutes)d 分钟后再试，"
    "或联系系统管理员解锁。"
)


def address_failure_limit() -> int:
    """Return the cap on failed logins per address, across user names."""
    return int(getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 20))


def address_failures(request: HttpRequest) -> int:
    """Count the failed logins from the request's address within the cool-off."""
    ip_address = getattr(request, "axes_ip_address", None)
    if not ip_address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=ip_address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def address_capped(request: HttpRequest) -> bool:
    """Return True when the request's address reached the per-address cap."""
    return address_failures(request) >= address_failure_limit()


class AddressCapHandler(AxesDatabaseHandler):
    """django-axes' database handler plus a cap per address across user names."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_capped(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_capped(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def cooloff_minutes() -> int:
    """Return the configured cool-off period in whole minutes."""
    return max(1, math.ceil(float(settings.AXES_COOLOFF_TIME) * 60))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """Render the login form with the lock-out message and status 429."""
    message = ADDRESS_LOCKED_OUT if address_capped(request) else LOCKED_OUT
    # Unbound, so rendering it never authenticates again (which axes would refuse).
    form = AuthenticationForm(
        request, initial={"username": request.POST.get("username", "")}
    )
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "lockout_message": message % {"minutes": cooloff_minutes()},
    }
    return render(request, "registration/login.html", context, status=429)
