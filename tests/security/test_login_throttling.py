"""Attack family: password guessing against the staff login.

django-axes counts failed logins per user name *and* address; after
``AXES_FAILURE_LIMIT`` failures that pair is locked for the cool-off period, even
with the right password, and the login page says so in Chinese with status 429.
Other users and other addresses are unaffected, so one attacker cannot lock every
account out from one address. Everything goes through the real login form.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt

from django.conf import settings
from django.test import Client
from django.utils import timezone

from portal.lockout import LOCKED_OUT, cooloff_minutes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"


@pytest.fixture
def staff():
    user = UserFactory(username="huangpu_editor")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail_until_locked(client: Client, username: str, ip: str = "10.0.0.1"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, username, "wrong-guess", ip)
    return response


def test_wrong_passwords_lock_the_account_from_that_address(staff):
    """After the limit, even the right password is refused with a clear message."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, staff.username, "wrong").status_code == 200
    locked = attempt(client, staff.username, "wrong")
    assert locked.status_code == 429
    again = attempt(client, staff.username, PASSWORD)
    assert again.status_code == 429
    page = again.content.decode()
    assert str(LOCKED_OUT % {"minutes": cooloff_minutes()}) in page
    assert "登录失败次数过多" in page
    assert "_auth_user_id" not in client.session


def test_lock_is_per_user_and_address(staff):
    """Another address, or another user from the same address, may still sign in."""
    other = UserFactory(username="pudong_editor")
    other.set_password(PASSWORD)
    other.save()
    fail_until_locked(Client(), staff.username)
    elsewhere = Client()
    assert (
        attempt(elsewhere, staff.username, PASSWORD, ip="10.0.0.2").status_code == 302
    )
    same_ip = Client()
    assert attempt(same_ip, other.username, PASSWORD).status_code == 302


def test_lock_lifts_after_the_cool_off(staff):
    """Once the cool-off period has passed, the right password works again."""
    client = Client()
    fail_until_locked(client, staff.username)
    assert attempt(client, staff.username, PASSWORD).status_code == 429
    past = timezone.now() - dt.timedelta(minutes=cooloff_minutes() + 1)
    AccessAttempt.objects.update(attempt_time=past)
    assert attempt(client, staff.username, PASSWORD).status_code == 302


def test_success_resets_the_count(staff):
    """A successful login forgets earlier failures, so typos never add up to a lock."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, staff.username, "wrong")
    assert attempt(client, staff.username, PASSWORD).status_code == 302
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, staff.username, "wrong").status_code == 200
    assert attempt(client, staff.username, PASSWORD).status_code == 302


def test_admin_login_is_guarded_too(staff):
    """The admin's login counts against the same limit."""
    staff.is_staff = True
    staff.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": staff.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
        )
    assert attempt(client, staff.username, PASSWORD).status_code == 429


def test_lockout_defaults_are_sane():
    """Five failures lock for fifteen minutes unless the environment says otherwise."""
    assert settings.AXES_FAILURE_LIMIT == 5
    assert cooloff_minutes() == 15
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
