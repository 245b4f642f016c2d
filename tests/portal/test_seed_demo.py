"""The demo city is complete, seeding twice changes nothing, and its column is
worth searching, with the figures the setup prints matching the pages."""

import datetime as dt
import io
import re

import pytest

from django.core.management import call_command

from portal.demo import DEMO_USERS, DEPARTMENTS, DISTRICTS
from portal.models import Agency, AuditEvent, Membership
from requests_.demo_data import DEPARTMENT_CODES, DISTRICT_CODES, generated_column
from requests_.models import Disclosure

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_complete():
    call_command("seed_demo")
    counts = (
        Agency.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Agency.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert Agency.objects.filter(kind="district").count() == len(DISTRICTS) == 16
    assert Agency.objects.filter(kind="department").count() == len(DEPARTMENTS)
    assert Agency.objects.get(short_name="市卫生计生委").parent.short_name == "市政府"
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"editor", "reviewer", "coordinator"}
    assert Membership.objects.count() == len(DEMO_USERS) - 1  # the superuser needs none


def figure(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    assert match, (pattern, text)
    return int(match.group(1))


def test_demo_column_is_worth_searching_and_its_figures_agree(embedded_index, client):
    """A newcomer's first searches find several items; printed figures = pages'.

    The setup prints what the home page and the column show: the public items,
    with a withdrawn or scheduled item named apart, never added in.
    """
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("search_rebuild", "--quiet", stdout=io.StringIO())
    printed = out.getvalue()
    public = figure(r"requests_: (\d+) disclosures public in the column", printed)
    lists = figure(r"negative lists: (\d+) published", printed)
    assert public >= 250
    assert Disclosure.objects.filter(status="withdrawn").exists()

    home = client.get("/").content.decode()
    assert figure(r"专栏现有 (\d+) 条信息", home) == public
    assert figure(r"查看全部(\d+)份清单", home) == lists
    column = client.get("/disclosures/")
    assert column.status_code == 200
    assert figure(r"共 (\d+) 条结果", column.content.decode()) == public

    for word in ("进博会", "社保", "预算", "处罚"):
        response = client.get("/disclosures/", {"q": word})
        assert response.status_code == 200
        assert figure(r"共 (\d+) 条结果", response.content.decode()) >= 3, word
    # Synonyms carry the newcomer's abbreviations to the documents' full names.
    expo = client.get("/disclosures/", {"q": "进博会"}).content.decode()
    assert "中国国际进口博览会" in expo
    social = client.get("/disclosures/", {"q": "社保"}).content.decode()
    assert "社会保险" in social


def test_generated_column_is_deterministic_and_names_no_person():
    """Two runs give the same rows; penalty decisions name companies only."""
    names = {code: f"机构{code}" for code in (*DISTRICT_CODES, *DEPARTMENT_CODES)}
    today = dt.date(2026, 12, 3)
    first = generated_column(names, today)
    assert first == generated_column(names, today)
    assert {row[4].year for row in first} == {2023, 2024, 2025, 2026}
    assert len({row[0] for row in first}) >= 25
    penalties = [row for row in first if row[2].startswith("行政处罚决定书")]
    assert len(penalties) >= 12
    for row in penalties:
        party = row[7].split("\n", 1)[0]
        assert party.startswith("当事人：上海")
        assert party.endswith("有限公司")
    assert all(row[4] <= today for row in first)
