"""Single sign-on: who the provider's backend lets in, the login page, the checks.

The browser journey against a real provider is tests/e2e/test_sso.py; here the
provider's userinfo answer is given directly, since it lies outside the project.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory, override_settings

from portal.models import Membership, Role
from portal.sso.backends import (
    INACTIVE_ACCOUNT,
    LOCAL_PASSWORDS_OFF,
    MISSING_CLAIM,
    NO_ACCOUNT,
    SIGN_IN_FAILED,
    LocalPasswordBackend,
    OIDCBackend,
    refusal,
)
from portal.sso.checks import check_oidc
from portal.sso.discovery import forget_documents
from tests.factories import MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
IDP = "https://idp.example.gov.cn"
CONFIGURED = {
    "OIDC_RP_CLIENT_ID": "gongkai",
    "OIDC_RP_CLIENT_SECRET": "client-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{IDP}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{IDP}/token",
    "OIDC_OP_USER_ENDPOINT": f"{IDP}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{IDP}/jwks",
}
UNCONFIGURED = dict.fromkeys([*CONFIGURED, "GONGKAI_OIDC_ISSUER"], None)


class AnsweringBackend(OIDCBackend):
    """The portal's backend with the provider's userinfo answer given."""

    def __init__(self, claims: dict):
        super().__init__()
        self.claims = claims
        self.request = RequestFactory().get("/accounts/oidc/callback/")

    def get_userinfo(self, access_token, id_token, payload):
        return self.claims


def _sign_in(claims: dict):
    backend = AnsweringBackend(claims)
    return backend, backend.get_or_create_user("access", "id", {})


# --- Matching -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_username_claim_matches_the_account_of_that_exact_name():
    """preferred_username picks the account with that user name, and only that:
    not a case variant, not an account sharing the e-mail address."""
    wanted = UserFactory(username="huangpu_editor", email="a@example.gov.cn")
    UserFactory(username="Huangpu_Editor")
    UserFactory(username="other", email="a@example.gov.cn")
    backend, user = _sign_in(
        {"preferred_username": "huangpu_editor", "email": "a@example.gov.cn"}
    )
    assert user == wanted
    assert refusal(backend.request) is None


@pytest.mark.django_db
def test_sign_in_changes_nothing_about_the_account():
    """Claims naming another e-mail, name or role leave the account and its
    memberships as they were."""
    user = UserFactory(username="huangpu_editor", email="old@example.gov.cn")
    MembershipFactory(user=user, role=Role.EDITOR)
    _, signed_in = _sign_in(
        {
            "preferred_username": "huangpu_editor",
            "email": "new@example.gov.cn",
            "name": "新名字",
            "roles": ["coordinator"],
            "is_superuser": True,
        }
    )
    user.refresh_from_db()
    assert signed_in == user
    assert user.email == "old@example.gov.cn"
    assert not user.is_superuser
    assert not user.is_staff
    assert list(Membership.objects.values_list("user", "role")) == [
        (user.pk, Role.EDITOR)
    ]


@pytest.mark.django_db
def test_an_unknown_person_is_refused_and_no_account_is_created():
    UserFactory(username="huangpu_editor")
    backend, user = _sign_in({"preferred_username": "stranger"})
    assert user is None
    assert refusal(backend.request) == NO_ACCOUNT
    assert list(get_user_model().objects.values_list("username", flat=True)) == [
        "huangpu_editor"
    ]


@pytest.mark.django_db
@override_settings(OIDC_CREATE_USER=True)
def test_no_account_is_created_even_if_the_library_is_told_to():
    """OIDC_CREATE_USER flipped by mistake still creates nobody."""
    backend = AnsweringBackend({"preferred_username": "stranger"})
    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access", "id", {})
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_an_inactive_account_is_refused():
    UserFactory(username="huangpu_editor", is_active=False)
    backend, user = _sign_in({"preferred_username": "huangpu_editor"})
    assert user is None
    assert refusal(backend.request) == INACTIVE_ACCOUNT


@pytest.mark.django_db
def test_a_session_of_an_account_deactivated_later_ends():
    """The backend's get_user (run on every request) drops an inactive account."""
    user = UserFactory(username="huangpu_editor")
    assert OIDCBackend().get_user(user.pk) == user
    user.is_active = False
    user.save()
    assert OIDCBackend().get_user(user.pk) is None


@pytest.mark.django_db
@pytest.mark.parametrize("claims", [{}, {"preferred_username": ""}, {"sub": "7"}])
def test_an_answer_without_the_username_claim_is_refused(claims):
    UserFactory(username="huangpu_editor")
    backend = AnsweringBackend(claims)
    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access", "id", {})
    assert refusal(backend.request) == MISSING_CLAIM


@pytest.mark.django_db
@override_settings(GONGKAI_OIDC_USERNAME_CLAIM="employee_no")
def test_the_username_claim_is_configurable():
    """With GONGKAI_OIDC_USERNAME_CLAIM=employee_no that claim matches, and
    preferred_username is ignored."""
    wanted = UserFactory(username="E1024")
    UserFactory(username="huangpu_editor")
    _, user = _sign_in({"employee_no": "E1024", "preferred_username": "huangpu_editor"})
    assert user == wanted


@pytest.mark.django_db
@override_settings(**UNCONFIGURED)
def test_the_backend_is_inert_without_a_provider():
    """Unconfigured, a callback-looking request authenticates nobody and reads
    no endpoint setting."""
    request = RequestFactory().get("/accounts/oidc/callback/?code=c&state=s")
    assert OIDCBackend().authenticate(request, nonce="n") is None


# --- Local passwords ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("local", "superuser", "let_in"),
    [(True, False, True), (False, False, False), (False, True, True)],
)
def test_local_password_backend(settings, local, superuser, let_in):
    """With local passwords off only a superuser's password is accepted."""
    settings.GONGKAI_LOCAL_PASSWORDS = local
    user = UserFactory(username="someone", is_superuser=superuser)
    got = LocalPasswordBackend().authenticate(
        RequestFactory().post("/accounts/login/"),
        username="someone",
        password="pass-word-123",
    )
    assert (got == user) is let_in


@pytest.mark.django_db
def test_password_form_refuses_staff_when_local_passwords_are_off(settings, matrix):
    """Through the real login page: the staff member stays signed out and is told
    to use the identity provider; the superuser's break-glass works."""
    settings.GONGKAI_LOCAL_PASSWORDS = False
    for name, value in CONFIGURED.items():
        setattr(settings, name, value)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "editor_a", "password": "pass-word-123"}
    )
    assert response.status_code == 200
    assert str(LOCAL_PASSWORDS_OFF) in response.content.decode()
    assert SESSION_KEY not in client.session
    response = client.post(
        "/accounts/login/", {"username": "superuser", "password": "pass-word-123"}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(matrix.users["superuser"].pk)


# --- The login page and the two legs ------------------------------------------------


@pytest.mark.django_db
@override_settings(**UNCONFIGURED)
def test_without_a_provider_the_login_page_is_the_password_form():
    body = Client().get("/accounts/login/").content.decode()
    assert "使用统一身份认证登录" not in body
    assert 'name="password"' in body
    assert "<details" not in body
    assert Client().get("/accounts/oidc/authenticate/").status_code == 404
    assert Client().get("/accounts/oidc/callback/").status_code == 404


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_with_a_provider_the_login_page_offers_it_and_the_start_sends_there():
    """The button keeps ``next``; the start redirects to the provider with the
    client id, the callback URL, the scopes, a state, a nonce and a PKCE challenge."""
    client = Client()
    body = client.get("/accounts/login/?next=/workspace/requests/").content.decode()
    assert 'href="/accounts/oidc/authenticate/?next=/workspace/requests/"' in body
    assert "使用统一身份认证登录" in body
    response = client.get("/accounts/oidc/authenticate/?next=/workspace/requests/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{IDP}/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["gongkai"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/callback/"]
    assert query["scope"] == ["openid profile"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"][0] in client.session["oidc_states"]
    assert query["nonce"][0]
    assert client.session["oidc_login_next"] == "/workspace/requests/"


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_a_forged_callback_signs_nobody_in():
    """A callback whose state this browser never asked for goes back to the login
    page with a message, signed out."""
    client = Client()
    client.get("/accounts/oidc/authenticate/")
    response = client.get("/accounts/oidc/callback/?code=abc&state=forged", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert str(SIGN_IN_FAILED) in response.content.decode()
    assert SESSION_KEY not in client.session


# --- System checks ------------------------------------------------------------------


def _ids(**overrides) -> list[str]:
    with override_settings(**{**UNCONFIGURED, **overrides}):
        return [error.id for error in check_oidc(None)]


def test_checks_accept_no_provider_and_a_whole_one():
    assert _ids() == []
    assert _ids(**CONFIGURED) == []
    assert (
        _ids(
            GONGKAI_OIDC_ISSUER=IDP,
            OIDC_RP_CLIENT_ID="gongkai",
            OIDC_RP_CLIENT_SECRET="s",
            GONGKAI_LOCAL_PASSWORDS=False,
        )
        == []
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"GONGKAI_LOCAL_PASSWORDS": False}, ["portal.E041"]),
        (
            {"GONGKAI_OIDC_ISSUER": IDP, "OIDC_RP_CLIENT_ID": "gongkai"},
            ["portal.E042"],
        ),
        (
            {"GONGKAI_OIDC_ISSUER": IDP, "OIDC_RP_CLIENT_SECRET": "s"},
            ["portal.E042"],
        ),
        (
            {**CONFIGURED, "OIDC_OP_TOKEN_ENDPOINT": "idp.example.gov.cn/token"},
            ["portal.E043"],
        ),
        (
            {**CONFIGURED, "OIDC_OP_JWKS_ENDPOINT": None},
            ["portal.E044"],
        ),
        ({**CONFIGURED, "OIDC_RP_SCOPES": "profile email"}, ["portal.E045"]),
        ({**CONFIGURED, "GONGKAI_OIDC_USERNAME_CLAIM": " "}, ["portal.E046"]),
        ({**CONFIGURED, "SESSION_COOKIE_SAMESITE": "Strict"}, ["portal.E047"]),
    ],
)
def test_checks_reject_a_half_configured_provider(overrides, expected):
    assert _ids(**overrides) == expected


def test_a_client_id_without_a_secret_stops_start_up():
    """The environment variables reach the check: manage.py check fails."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GONGKAI_"))
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "portal.settings.local",
            "GONGKAI_OIDC_ISSUER": IDP,
            "GONGKAI_OIDC_CLIENT_ID": "gongkai",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "portal.E042" in result.stderr
    assert "GONGKAI_OIDC_CLIENT_SECRET" in result.stderr


# Nothing listens on port 1: connections are refused at once.
DOWN = "http://127.0.0.1:1"


@pytest.mark.django_db
@override_settings(
    GONGKAI_OIDC_ISSUER=DOWN,
    OIDC_RP_CLIENT_ID="gongkai",
    OIDC_RP_CLIENT_SECRET="client-secret",
)
def test_an_unreachable_provider_sends_the_start_back_with_a_message():
    """Discovery failing at the first sign-in is a message on the login page,
    not a server error."""
    forget_documents()
    response = Client().get("/accounts/oidc/authenticate/", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert str(SIGN_IN_FAILED) in response.content.decode()


@pytest.mark.django_db
@override_settings(
    **{
        **CONFIGURED,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{DOWN}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{DOWN}/token",
    }
)
def test_a_provider_down_at_the_token_exchange_signs_nobody_in():
    """A genuine callback whose code cannot be exchanged ends on the login page
    with a message, signed out."""
    client = Client()
    start = client.get("/accounts/oidc/authenticate/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(
        f"/accounts/oidc/callback/?code=abc&state={state}", follow=True
    )
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert str(SIGN_IN_FAILED) in response.content.decode()
    assert SESSION_KEY not in client.session
