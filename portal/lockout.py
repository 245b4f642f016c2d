"""The response to a locked-out login: the login page again, with a clear message.

django-axes counts failed logins per user name and address and calls
``lockout_response`` once the limit is reached; the page says, in Chinese, why the
sign-in is refused and for how long, and the status is 429 so monitoring sees it.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

LOCKED_OUT = _(
    "登录失败次数过多，该账号已在本机地址暂时锁定。请于 %(minutes)d 分钟后再试，"
    "或联系系统管理员解锁。"
)


def cooloff_minutes() -> int:
    """Return the configured cool-off period in whole minutes."""
    return max(1, math.ceil(float(settings.AXES_COOLOFF_TIME) * 60))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """Render the login form with the lock-out message and status 429."""
    # Unbound, so rendering it never authenticates again (which axes would refuse).
    form = AuthenticationForm(
        request, initial={"username": request.POST.get("username", "")}
    )
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "lockout_message": LOCKED_OUT % {"minutes": cooloff_minutes()},
    }
    return render(request, "registration/login.html", context, status=429)
