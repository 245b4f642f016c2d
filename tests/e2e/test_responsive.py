"""Every page at a phone's width and a desktop's: it fits, and axe-core finds no
serious or critical violation.

The page list is read from the URLconf: every route is either a page visited
here (``PAGES``, with the role that may open it and sample objects from the e2e
data) or named in ``NOT_PAGES`` with the reason it is not a page (a POST action,
a download, a feed). A new route that is neither fails
``test_every_route_is_a_page_or_says_why_not``, so a new page cannot be missed.

Each visit leaves a full-page screenshot in ``var/screenshots/<width>/<page>.png``
(``GONGKAI_SCREENSHOTS`` names another folder) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from letters import services as letter_services
from negative_list import jobs as nl_jobs
from negative_list import services as nl_services
from portal.jobs.services import job_submit
from requests_ import services as rq_services
from requests_.models import NonConversionReason
from tests.e2e import data
from tests.e2e.conftest import axe_violations, resident_id
from tests.letters import builders as lb
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("GONGKAI_SCREENSHOTS") or ROOT / "var/screenshots")
WIDTHS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1366, "height": 900},
}

# Route name → (who opens it, path with {placeholders} filled from Site).
PAGES: dict[str, tuple[str | None, str]] = {
    # Public site
    "home": (None, "/"),
    "agency_index": (None, "/agencies/"),
    "agency_public": (None, "/agencies/{agency_code}/"),
    "open_data": (None, "/open-data/"),
    "api_docs": (None, "/api/docs/"),
    "login": (None, "/accounts/login/"),
    "search:column": (None, "/disclosures/?q=老旧小区"),
    "negative_list:index": (None, "/negative-lists/"),
    "negative_list:agency": (None, "/negative-lists/{agency_code}/"),
    "negative_list:versions": (None, "/negative-lists/{agency_code}/versions/"),
    "negative_list:version": (None, "/negative-lists/{agency_code}/versions/1/"),
    "negative_list:diff": (None, "/negative-lists/{agency_code}/diff/"),
    "requests_:apply": (None, "/requests/new/"),
    "requests_:submitted": (None, "(reached by submitting the form)"),
    "requests_:track": (None, "/requests/track/"),
    "requests_:status": (None, "/requests/track/{tracking_code}/{secret}/"),
    "requests_:disclosure_public": (None, "/disclosures/{index_no}/"),
    "password_reset_confirm": (
        None,
        "/accounts/password/set/{reset_uid}/{reset_token}/",
    ),
    "password_reset_complete": (None, "/accounts/password/set/done/"),
    # Workspace
    "password_change": ("editor_a", "/accounts/password/"),
    "password_change_done": ("editor_a", "/accounts/password/done/"),
    "workspace:dashboard": ("editor_a", "/workspace/"),
    "workspace:agency_list": ("coordinator", "/workspace/agencies/"),
    "workspace:agency_create": ("coordinator", "/workspace/agencies/new/"),
    "workspace:agency_detail": ("coordinator", "/workspace/agencies/{agency_code}/"),
    "workspace:agency_edit": ("coordinator", "/workspace/agencies/{agency_code}/edit/"),
    "workspace:user_create": (
        "coordinator",
        "/workspace/agencies/{agency_code}/users/new/",
    ),
    "workspace:agency_import": ("coordinator", "/workspace/agencies/import/"),
    "workspace:staff_import": ("coordinator", "/workspace/staff/import/"),
    "workspace:calendar": ("coordinator", "/workspace/calendar/"),
    "workspace:job_list": ("editor_a", "/workspace/jobs/?scope=all"),
    "workspace:job_detail": ("editor_a", "/workspace/jobs/{job_pk}/"),
    "negative_list:workspace": ("editor_a", "/workspace/negative-list/"),
    "negative_list:entry_create": ("editor_a", "/workspace/negative-list/entries/new/"),
    "negative_list:entry_detail": (
        "reviewer_a",
        "/workspace/negative-list/entries/{entry_pk}/",
    ),
    "negative_list:entry_edit": (
        "editor_a",
        "/workspace/negative-list/entries/{draft_pk}/edit/",
    ),
    "negative_list:review_queue": ("reviewer_a", "/workspace/negative-list/review/"),
    "negative_list:import": ("editor_a", "/workspace/negative-list/import/"),
    "negative_list:export_start": ("editor_a", "/workspace/negative-list/export/"),
    "negative_list:publish": (
        "reviewer_a",
        "/workspace/negative-list/agencies/{agency_code}/publish/",
    ),
    "negative_list:interpretation": (
        "editor_a",
        "/workspace/negative-list/agencies/{agency_code}/interpretation/",
    ),
    "negative_list:cycles": ("coordinator", "/workspace/negative-list/cycles/"),
    "negative_list:cycle_detail": (
        "coordinator",
        "/workspace/negative-list/cycles/{cycle_pk}/",
    ),
    "negative_list:task_detail": (
        "reviewer_a",
        "/workspace/negative-list/tasks/{task_pk}/",
    ),
    "negative_list:provisions": ("coordinator", "/workspace/negative-list/provisions/"),
    "negative_list:provision_edit": (
        "coordinator",
        "/workspace/negative-list/provisions/{provision_pk}/",
    ),
    "requests_:request_list": ("editor_a", "/workspace/requests/"),
    "requests_:request_register": ("editor_a", "/workspace/requests/new/"),
    "requests_:request_detail": ("editor_a", "/workspace/requests/{request_pk}/"),
    "requests_:conversions_late": ("editor_a", "/workspace/requests/conversions/late/"),
    "requests_:city_overview": ("coordinator", "/workspace/city-overview/"),
    "requests_:city_overview_list": (
        "coordinator",
        "/workspace/city-overview/overdue/",
    ),
    "letters:letter_detail": ("editor_a", "/workspace/letters/{draft_letter_pk}/"),
    "letters:public_letter": (
        None,
        "/requests/track/{letter_tracking_code}/{letter_secret}/letters/"
        "{issued_letter_pk}/",
    ),
    "messaging:digest_preference": ("editor_a", "/workspace/me/digest/"),
    "requests_:disclosure_list": ("editor_a", "/workspace/disclosures/"),
    "requests_:disclosure_import": ("coordinator", "/workspace/disclosures/import/"),
    "requests_:disclosure_detail": (
        "editor_a",
        "/workspace/disclosures/{draft_disclosure_pk}/",
    ),
    "annual_report:page": ("coordinator", "/workspace/annual-report/"),
    "annual_report:cell": ("coordinator", "(the first linked cell of the report)"),
    "usage:overview": ("coordinator", "/workspace/negative-list/usage/?agency=all"),
    "usage:cell": (
        "coordinator",
        "/workspace/negative-list/usage/cell/?agency={agency_code}&table=outside"
        "&row={agency_code}&col=total",
    ),
}

# Pages that are not routes of their own: an API docs group, the error pages.
EXTRA_PAGES: dict[str, tuple[str | None, str, int]] = {
    "api_docs_group": (None, "/api/docs/?tag=negative-lists", 200),
    "letter_issued": ("editor_a", "/workspace/letters/{issued_letter_pk}/", 200),
    "request_conversion_proposed": (
        "reviewer_a",
        "/workspace/requests/{proposed_request_pk}/",
        200,
    ),
    "error_404": (None, "/no-such-page/", 404),
    "error_403": ("editor_a", "/workspace/agencies/", 403),
}

NOT_PAGES = {
    None: "/favicon.ico",
    "robots_txt": "text",
    "sitemap": "XML",
    "sitemap_section": "XML",
    "healthz": "JSON",
    "api_schema": "JSON (its reader is api_docs)",
    "set_language": "POST action",
    "oidc_authentication_init": "redirect to the city's sign-in provider",
    "oidc_authentication_callback": "redirect back from the sign-in provider",
    "workspace:agency_import_template": "download",
    "workspace:staff_import_template": "download",
    "logout": "POST action",
    "workspace:membership_grant": "POST action",
    "workspace:membership_revoke": "POST action",
    "workspace:calendar_override_delete": "POST action",
    "workspace:job_start": "POST action",
    "workspace:job_status": "JSON polled by the job page",
    "workspace:job_download": "download",
    "negative_list:export": "download",
    "negative_list:feed": "Atom feed",
    "negative_list:feed_agency": "Atom feed",
    "negative_list:open_data": "download",
    "negative_list:entry_submit": "POST action",
    "negative_list:entry_approve": "POST action",
    "negative_list:entry_return": "POST action",
    "negative_list:entry_amend": "POST action",
    "negative_list:cycle_close": "POST action",
    "requests_:status_correction": "POST action",
    "requests_:status_withdraw": "POST action",
    "requests_:status_letter": "PDF download",
    "requests_:disclosure_attachment": "download",
    "requests_:feed_column": "Atom feed",
    "requests_:feed_agency": "Atom feed",
    "requests_:feed_topic": "Atom feed",
    "requests_:open_data": "download",
    "requests_:request_letter": "PDF download",
    "requests_:conversion_decide": "POST action",
    "requests_:conversion_amend": "POST action",
    "requests_:conversion_review": "POST action",
    "requests_:appeal_create": "POST action",
    "requests_:appeal_decide": "POST action",
    "requests_:request_action": "POST action",
    "requests_:disclosure_edit": "POST action",
    "requests_:attachment_add": "POST action",
    "requests_:attachment_download": "download",
    "requests_:attachment_remove": "POST action",
    "requests_:screen_rerun": "POST action",
    "requests_:hit_resolve": "POST action",
    "requests_:disclosure_action": "POST action",
    "requests_:request_repeat_of": "POST action",
    "letters:letter_new": "POST action",
    "letters:letter_edit": "POST action",
    "letters:letter_action": "POST action",
    "letters:letter_docx": "download",
    "letters:file_add": "POST action",
    "letters:file_download": "download",
    "letters:file_remove": "POST action",
    "letters:public_letter_docx": "download",
    "letters:public_file": "download",
    "messaging:message_retry": "POST action",
    "annual_report:export": "download",
    "annual_report:export_job": "POST action",
    "usage:open_data": "download",
    "search_feed": "Atom feed",
}


def _routes(patterns, prefix: str = "", namespace: str = ""):
    """Yield (name, route) of every URL pattern outside the API and the admin."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else (pattern.namespace)
                )
            yield from _routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and not route.startswith("api/v1/"):
            name = (
                pattern.name and (f"{namespace}:" if namespace else "") + pattern.name
            )
            yield name, route


def test_every_route_is_a_page_or_says_why_not():
    """Each route of the site is visited below or listed as not a page, once."""
    routes = dict(_routes(get_resolver().url_patterns))
    names = list(routes)
    unclassified = set(names) - set(PAGES) - set(NOT_PAGES)
    assert {name: routes[name] for name in unclassified} == {}
    assert sorted(set(PAGES) & set(NOT_PAGES)) == []
    assert sorted((set(PAGES) | set(NOT_PAGES)) - set(names), key=str) == []


@dataclass
class Site:
    """Sample objects for the placeholders of ``PAGES``."""

    agency_code: str
    index_no: str
    request_pk: int
    tracking_code: str
    secret: str
    entry_pk: int
    draft_pk: int
    cycle_pk: int
    task_pk: int
    provision_pk: int
    job_pk: int
    draft_disclosure_pk: int
    reset_uid: str
    reset_token: str
    draft_letter_pk: int
    issued_letter_pk: int
    letter_tracking_code: str
    letter_secret: str
    proposed_request_pk: int


@pytest.fixture
def site(matrix, search_index, settings) -> Site:
    """A list in two versions, a published and a draft disclosure, an open
    request with a fee notice, a drafted and an issued letter, a proposal not to
    convert, entries in review and in draft, an open review cycle, a queued job."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    agency = matrix.agency_a
    data.published_list(matrix)
    nl.published_list(editor, reviewer, agency, [nl.second_wording()])
    disclosure = data.published_disclosure(matrix)
    draft_disclosure = rq.converted_draft(
        editor,
        agency,
        body="联系人：欧阳志远，身份证号310101198503124816，电话13912345678。",
    )
    request, secret = rq.register(editor, agency)
    # The open request has a fee notice and its drafted letter; another has an
    # issued reply letter; a third a proposal not to convert, awaiting review.
    lb.set_up_letters(agency, matrix.user("superuser"))
    rq_services.fee_notify(
        actor=editor,
        request=request,
        scale="per_volume",
        quantity=500,
        how_to_pay="银行转账至区财政局非税收入账户",
    )
    draft_letter = letter_services.letter_draft(
        actor=editor, request=request, kind="fee"
    )
    issued_letter, letter_secret = lb.issued_reply(editor, agency)
    proposed = rq_services.conversion_decide(
        actor=editor,
        request=rq.replied(editor, agency, title="本人2023年度个人所得税缴纳记录"),
        decision="not_convert",
        reason=NonConversionReason.TAX_FEES,
        concerns_applicant=True,
    )
    entry = nl.submitted(
        editor,
        agency,
        title="信访人个人信息",
        scope="信访事项中信访人的姓名、身份证件号码、住址和联系方式",
        category=nl.exemption("third_party"),
        provisions=(nl.provision(nl.REGULATION, "第十五条"),),
    )
    draft = nl.draft(editor, agency, title="内部人事管理信息")
    cycle = nl_services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="2026年度定期评审",
        agency=agency,
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    job = job_submit(
        kind=nl_jobs.EXPORT,
        actor=editor,
        agency=agency,
        title="导出负面清单：黄浦区（CSV）",
        params={"fmt": "csv"},
    )
    return Site(
        agency_code=agency.code,
        index_no=disclosure.index_no,
        request_pk=request.pk,
        tracking_code=request.tracking_code,
        secret=secret,
        entry_pk=entry.pk,
        draft_pk=draft.pk,
        cycle_pk=cycle.pk,
        task_pk=cycle.tasks.first().pk,
        provision_pk=nl.provision().pk,
        job_pk=job.pk,
        draft_disclosure_pk=draft_disclosure.pk,
        reset_uid=urlsafe_base64_encode(force_bytes(editor.pk)),
        reset_token=default_token_generator.make_token(editor),
        draft_letter_pk=draft_letter.pk,
        issued_letter_pk=issued_letter.pk,
        letter_tracking_code=issued_letter.request.tracking_code,
        letter_secret=letter_secret,
        proposed_request_pk=proposed.pk,
    )


FITS_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# The widest element that sticks out of the viewport, to name it in a failure.
WIDEST_JS = """() => {
    const w = window.innerWidth;
    let worst = null;
    for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && (!worst || r.right > worst[1])) {
            const name = el.className ? '.' + el.className : '';
            worst = [el.tagName.toLowerCase() + name, Math.round(r.right)];
        }
    }
    return worst;
}"""


def _submit_request(page) -> None:
    """Fill and send the online form; the browser lands on the receipt page."""
    page.goto(page.base_url + "/requests/new/")
    page.locator("#id_agency").select_option(label="上海市黄浦区人民政府")
    page.locator("#id_applicant_name").fill("林晓")
    page.locator("#id_applicant_id_number").fill(resident_id("31010119900307123"))
    page.locator("#id_applicant_phone").fill("13800138000")
    page.locator("#id_title").fill("本区2024年公共厕所改造计划")
    page.locator("#id_description").fill("申请获取本区2024年公共厕所改造的点位清单。")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()


def _open(page, name: str, site: Site) -> int:
    """Bring ``page`` to the page called ``name``; return the HTTP status."""
    if name == "requests_:submitted":
        _submit_request(page)
        return 200
    if name == "annual_report:cell":
        year = timezone.localdate().year
        page.goto(f"{page.base_url}/workspace/annual-report/?year={year}")
        href = page.locator("main a[href*='/annual-report/cell/']").first
        return page.goto(page.base_url + href.get_attribute("href")).status
    if name in EXTRA_PAGES:
        path = EXTRA_PAGES[name][1].format(**vars(site))
        return page.goto(page.base_url + path).status
    path = PAGES[name][1].format(**vars(site))
    return page.goto(page.base_url + path).status


def _check(page, name: str, width: str) -> list[str]:
    """Return what is wrong with the open page; leave its screenshot."""
    problems = []
    scroll_width, inner_width = page.evaluate(FITS_JS)
    if scroll_width > inner_width:
        problems.append(
            f"scrolls sideways ({scroll_width} > {inner_width}; "
            f"widest: {page.evaluate(WIDEST_JS)})"
        )
    problems.extend(f"axe: {v}" for v in axe_violations(page))
    folder = SCREENSHOTS / str(WIDTHS[width]["width"])
    folder.mkdir(parents=True, exist_ok=True)
    filename = re.sub(r"[^a-z0-9_]+", "-", name.lower()).replace("_-", "-") + ".png"
    page.screenshot(path=str(folder / filename), full_page=True)
    return problems


@pytest.mark.once_per_run
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_and_passes_axe(width, site, open_page):
    """At 360 px and at 1366 px no page scrolls sideways and axe-core reports no
    serious or critical violation; every page leaves a screenshot."""
    tabs: dict[str | None, object] = {}
    found: dict[str, list[str]] = {}
    wanted = {name: (user, 200) for name, (user, _path) in PAGES.items()}
    wanted.update(
        {name: (user, status) for name, (user, _p, status) in EXTRA_PAGES.items()}
    )
    for name, (user, expected_status) in wanted.items():
        if user not in tabs:
            tabs[user] = open_page(user, viewport=WIDTHS[width])
        page = tabs[user]
        status = _open(page, name, site)
        if status != expected_status:
            found[name] = [f"status {status} at {page.url}"]
            continue
        problems = _check(page, name, width)
        if problems:
            found[name] = problems
    report = "\n".join(
        f"{name}: {problem}" for name, ps in found.items() for problem in ps
    )
    assert found == {}, report


def test_phone_column_shows_results_first_and_filters_on_request(site, open_page):
    """At 360 px the column's filters are one closed line above the results;
    opening it shows the facets. At 1366 px they stand beside the results."""
    phone = open_page(viewport=WIDTHS["phone"])
    phone.goto(phone.base_url + "/disclosures/?q=老旧小区")
    toggle = phone.locator(".search-filters > summary")
    agency_box = phone.locator("input[name=agency]").first
    expect(toggle).to_be_visible()
    expect(agency_box).to_be_hidden()
    toggle_box = toggle.bounding_box()
    assert toggle_box["y"] < phone.locator(".result-list").bounding_box()["y"]
    toggle.click()
    expect(agency_box).to_be_visible()

    desktop = open_page(viewport=WIDTHS["desktop"])
    desktop.goto(desktop.base_url + "/disclosures/?q=老旧小区")
    expect(desktop.locator(".search-filters > summary")).to_be_hidden()
    expect(desktop.locator("input[name=agency]").first).to_be_visible()
    filters = desktop.locator(".search-filters").bounding_box()
    results = desktop.locator(".result-list").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]


def test_api_docs_link_opens_its_operation(open_page):
    """The index's link to an operation lands on its group page with that
    operation open (its parameter table shown) and the others closed."""
    page = open_page(viewport=WIDTHS["phone"])
    page.goto(page.base_url + "/api/docs/")
    page.locator("#tag-negative-lists summary").click()
    link = page.locator("#tag-negative-lists .api-index a").first
    target = link.get_attribute("href").rsplit("#", 1)[1]
    link.click()
    page.wait_for_url(f"**#{target}")
    body = page.locator(f"[id='{target}']")
    expect(body.locator("table").first).to_be_visible()
    opened = page.locator("details.api-operation[open]")
    expect(opened).to_have_count(1)
