"""Pages of the shell and the workspace, through the real client."""

import datetime as dt

import pytest

from django.urls import reverse

from portal.models import AuditEvent, CalendarOverride, Membership
from tests.conftest import A_STAFF, ACTORS, STAFF, outcomes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_is_chinese_with_landmarks(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert 'href="#main"' in html
    assert 'id="main"' in html
    assert "政务公开平台" in html


def test_language_can_be_switched_to_english(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )
    assert '<html lang="en">' in response.content.decode()


def test_login_with_password_leads_to_workspace(matrix, client):
    user = matrix.user("editor_a")
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "pass-word-123"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("workspace:dashboard")
    assert "我的工作" in response.content.decode()


def test_login_page_enforces_csrf(matrix):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "editor_a", "password": "pass-word-123"}
    )
    assert response.status_code == 403


DASHBOARD_STATUS = outcomes(STAFF)


@pytest.mark.parametrize("actor", ACTORS)
def test_workspace_dashboard_matrix(matrix, actor):
    response = matrix.client(actor).get(reverse("workspace:dashboard"))
    assert response.status_code == DASHBOARD_STATUS[actor]


def test_signed_in_user_without_role_gets_403(client):
    client.force_login(UserFactory())
    assert client.get(reverse("workspace:dashboard")).status_code == 403


def test_dashboard_warns_when_next_year_is_unknown(matrix):
    html = (
        matrix.client("coordinator")
        .get(reverse("workspace:dashboard"))
        .content.decode()
    )
    next_year = dt.date.today().year + 1
    assert (f"{next_year} 年的节假日安排尚未录入" in html) is (next_year > 2026)


AGENCY_A_PAGE = outcomes(A_STAFF, outsider=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_agency_page_matrix(matrix, actor):
    url = reverse("workspace:agency_detail", args=[matrix.agency_a.code])
    assert matrix.client(actor).get(url).status_code == AGENCY_A_PAGE[actor]


AGENCY_EDIT = outcomes(("coordinator", "superuser"), refused=404)


@pytest.mark.parametrize("actor", ACTORS)
def test_agency_edit_matrix(matrix, actor):
    url = reverse("workspace:agency_edit", args=[matrix.agency_a.code])
    assert matrix.client(actor).get(url).status_code == AGENCY_EDIT[actor]


def test_agency_page_shows_history(matrix):
    client = matrix.client("coordinator")
    response = client.post(
        reverse("workspace:agency_edit", args=[matrix.agency_a.code]),
        {
            "name": "上海市黄浦区人民政府（新）",
            "short_name": "黄浦区",
            "kind": "district",
            "parent": matrix.city.pk,
            "sort_order": 0,
            "is_active": "on",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "已保存" in html
    assert "修改机构信息" in html  # the verb in words (portal.audit_labels)
    assert "agency.update" not in html
    assert "上海市黄浦区人民政府（新）" in html


def test_agency_form_keeps_input_and_names_the_field(matrix):
    response = matrix.client("coordinator").post(
        reverse("workspace:agency_create"),
        {
            "code": matrix.agency_b.code,
            "name": "新机构甲",
            "kind": "district",
            "parent": matrix.city.pk,
            "sort_order": 0,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "机构代码已被使用" in html
    assert 'value="新机构甲"' in html


def test_coordinator_grants_and_revokes_roles_through_pages(matrix):
    client = matrix.client("coordinator")
    user = UserFactory(username="newcomer")
    client.post(
        reverse("workspace:membership_grant", args=[matrix.agency_b.code]),
        {"user": user.pk, "role": "reviewer"},
    )
    membership = Membership.objects.get(user=user)
    client.post(reverse("workspace:membership_revoke", args=[membership.pk]))
    assert not Membership.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(verb__startswith="membership.").count() == 2


def test_editor_cannot_revoke_roles(matrix):
    membership = Membership.objects.get(user=matrix.user("editor_b"))
    response = matrix.client("editor_a").post(
        reverse("workspace:membership_revoke", args=[membership.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_coordinator_creates_a_user_with_a_role(matrix):
    response = matrix.client("coordinator").post(
        reverse("workspace:user_create", args=[matrix.agency_a.code]),
        {
            "username": "wang",
            "full_name": "王五",
            "email": "",
            "password": "Ab-cd-ef-12345",
            "role": "editor",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="wang", role="editor").exists()


def test_calendar_page_explains_a_deadline(matrix):
    html = (
        matrix.client("editor_a")
        .get(reverse("workspace:calendar"), {"start": "2025-09-26", "days": "20"})
        .content.decode()
    )
    assert "2025年10月30日" in html
    assert "国庆节" in html


def test_only_city_coordinator_adds_overrides(matrix):
    data = {"date": "2027-01-01", "is_workday": "0", "note": "2027年元旦"}
    assert (
        matrix.client("editor_a").post(reverse("workspace:calendar"), data).status_code
        == 403
    )
    response = matrix.client("coordinator").post(reverse("workspace:calendar"), data)
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert override.is_workday is False
    matrix.client("coordinator").post(
        reverse("workspace:calendar_override_delete", args=[override.pk])
    )
    assert not CalendarOverride.objects.exists()


def test_workspace_post_without_csrf_token_is_refused(matrix):
    response = matrix.csrf_client("coordinator").post(
        reverse("workspace:calendar"),
        {"date": "2027-01-01", "is_workday": "0", "note": "x"},
    )
    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()


def test_admin_is_reachable_for_superusers_only(matrix):
    assert matrix.client("superuser").get("/admin/").status_code == 200
    assert matrix.client("coordinator").get("/admin/").status_code == 302


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200
