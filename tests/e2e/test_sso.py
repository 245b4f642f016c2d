"""Single sign-on in Chromium against a real OpenID Connect provider.

The provider is django-oauth-toolkit in its own process (``tests/oidc_provider``),
with its own SQLite file and an RSA key made for this run; the portal runs under
the live server and reaches it over HTTP for discovery, the token, the keys and
the userinfo answer, as it would reach a city's identity platform.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from portal.models import Membership, Role
from portal.sso.backends import LOCAL_PASSWORDS_OFF, NO_ACCOUNT
from portal.sso.discovery import DiscoveryError, discovery_document, forget_documents
from tests.e2e.conftest import axe_violations, login
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_PASSWORD = "provider-pass-456"
CLIENT_ID = "gongkai-portal"
CLIENT_SECRET = "portal-client-secret-for-tests"


@dataclass
class Provider:
    origin: str

    @property
    def issuer(self) -> str:
        return self.origin + "/o"


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory) -> Iterator[Provider]:
    """Start the identity provider with the portal's client and two people."""
    if not os.path.exists(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"):
        pytest.skip("no Chromium on this machine")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    seed = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": live_server.url + "/accounts/oidc/callback/",
        },
        "users": [
            {"username": "huangpu_editor", "password": PROVIDER_PASSWORD},
            {"username": "stranger", "password": PROVIDER_PASSWORD},
        ],
    }
    workdir = tmp_path_factory.mktemp("idp")
    log = workdir / "provider.log"
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(workdir / "idp.sqlite3"),
        "OIDC_PROVIDER_KEY": pem,
        "OIDC_PROVIDER_SEED": json.dumps(seed),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Its request log goes to a file: an unread pipe would fill and stall it.
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        process.kill()
        process.wait()
        pytest.fail(f"the identity provider did not start: {log.read_text()}")
    yield Provider(origin=f"http://127.0.0.1:{int(line.split()[1])}")
    process.terminate()
    process.wait()


@pytest.fixture
def sso(provider, settings) -> Provider:
    """Configure the portal for the provider, by issuer (discovery) only."""
    forget_documents()
    settings.GONGKAI_OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    yield provider
    forget_documents()


@pytest.fixture
def huangpu_editor(matrix):
    """An imported staff account: editor of 黄浦区, no usable password."""
    user = UserFactory(username="huangpu_editor", first_name="黄浦编辑")
    user.set_unusable_password()
    user.save()
    MembershipFactory(user=user, agency=matrix.agency_a, role=Role.EDITOR)
    return user


def _sign_in_at_provider(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_role("link", name="使用统一身份认证登录").click()
    expect(page.get_by_role("heading", name="统一身份认证平台")).to_be_visible()
    page.get_by_label("账号").fill(username)
    page.get_by_label("口令").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="登录统一身份认证").click()


def test_staff_signs_in_through_the_provider_as_their_imported_account(
    page, sso, huangpu_editor
):
    """The SSO button leads to the provider and back to the workspace, signed in
    as the account whose user name the provider vouched for, with its roles and
    nothing created or granted by the sign-in."""
    users_before = get_user_model().objects.count()
    page.goto(page.base_url + "/accounts/login/")
    assert axe_violations(page) == []
    _sign_in_at_provider(page, "huangpu_editor")
    page.wait_for_url(page.base_url + "/workspace/")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    expect(page.locator(".user-name")).to_have_text("黄浦编辑")
    expect(page.get_by_text("上海市黄浦区人民政府 · 编辑")).to_be_visible()
    assert get_user_model().objects.count() == users_before
    assert list(
        Membership.objects.filter(user=huangpu_editor).values_list("role", flat=True)
    ) == [Role.EDITOR]


def test_provider_user_without_a_portal_account_is_refused_and_not_created(
    page, sso, huangpu_editor
):
    """Someone the provider knows but the portal does not comes back to the login
    page with a Chinese explanation; no account appears."""
    users_before = get_user_model().objects.count()
    _sign_in_at_provider(page, "stranger")
    page.wait_for_url(page.base_url + "/accounts/login/")
    expect(page.locator(".messages")).to_have_text(str(NO_ACCOUNT))
    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(username="stranger").exists()
    page.goto(page.base_url + "/workspace/")
    expect(page).to_have_url(page.base_url + "/accounts/login/?next=/workspace/")


def test_with_local_passwords_off_staff_use_the_provider_and_only_superusers_the_form(
    page, open_page, sso, settings, matrix, huangpu_editor
):
    """The password form is folded away as the break-glass; a staff password is
    refused there with the reason, the staff member gets in through the provider,
    and a superuser still gets in with a password."""
    settings.GONGKAI_LOCAL_PASSWORDS = False
    page.goto(page.base_url + "/accounts/login/")
    expect(page.get_by_role("link", name="使用统一身份认证登录")).to_be_visible()
    expect(page.get_by_label("密码")).to_be_hidden()
    page.get_by_text("系统管理员应急登录").click()
    page.get_by_label("用户名").fill("editor_a")
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(str(LOCAL_PASSWORDS_OFF))
    page.goto(page.base_url + "/workspace/")
    expect(page).to_have_url(page.base_url + "/accounts/login/?next=/workspace/")

    _sign_in_at_provider(page, "huangpu_editor")
    page.wait_for_url(page.base_url + "/workspace/")
    expect(page.get_by_text("上海市黄浦区人民政府 · 编辑")).to_be_visible()

    admin = open_page()
    admin.goto(admin.base_url + "/accounts/login/")
    admin.get_by_text("系统管理员应急登录").click()
    admin.get_by_label("用户名").fill("superuser")
    admin.get_by_label("密码").fill("pass-word-123")
    admin.get_by_role("button", name="登录", exact=True).click()
    admin.wait_for_url(admin.base_url + "/workspace/")
    expect(admin.get_by_text("系统管理员（全部权限）")).to_be_visible()


def test_discovery_reads_the_provider_and_refuses_another_issuer(sso, settings):
    """The endpoints come from the issuer's discovery document; a document naming
    another issuer than the configured one is refused."""
    document = discovery_document()
    assert document["issuer"] == sso.issuer
    assert document["token_endpoint"] == sso.issuer + "/token/"
    forget_documents()
    settings.GONGKAI_OIDC_ISSUER = sso.issuer.replace("127.0.0.1", "localhost")
    with pytest.raises(DiscoveryError, match="names issuer"):
        discovery_document()


def test_password_login_is_unchanged_without_a_provider(page, matrix):
    """With no GONGKAI_OIDC_* set the login page is the password form, as before."""
    page.goto(page.base_url + "/accounts/login/")
    expect(page.get_by_role("link", name="使用统一身份认证登录")).to_have_count(0)
    login(page, "editor_a")
