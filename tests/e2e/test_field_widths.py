"""Form fields as wide as what they hold: a date, a number, a code or a phone
number is short, long text takes the row, and no field is wider than a phone.

Widths are measured in the browser (``getBoundingClientRect``), since they come
from the stylesheet's rules by input type and from the ``size`` of short fields.
"""

from __future__ import annotations

import pytest

# Layout, not data: make test measures it in the SQLite pass only.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.once_per_run,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}

WIDTHS_JS = """(ids) => Object.fromEntries(ids.map(id => [
    id, Math.round(document.getElementById(id).getBoundingClientRect().width)]))"""
# The visible form controls of the page's main part.
CONTROLS_JS = """() => [...document.querySelectorAll(
        'main input, main select, main textarea')]
    .filter(el => el.type !== 'hidden' && el.getBoundingClientRect().width > 0)"""
# Those whose right edge passes the viewport's.
OVERFLOWING_JS = f"""() => ({CONTROLS_JS})()
    .filter(el => el.getBoundingClientRect().right > window.innerWidth)
    .map(el => el.name)"""
COUNT_JS = f"() => ({CONTROLS_JS})().length"


def test_register_form_sizes_fields_to_their_content(matrix, open_page):
    """On the staff request form at 1366 px the date, the phone number and the ID
    number are short fields while the description takes the whole row."""
    page = open_page("editor_a", viewport=DESKTOP)
    page.goto(page.base_url + "/workspace/requests/new/")
    widths = page.evaluate(
        WIDTHS_JS,
        [
            "id_received_on",
            "id_applicant_phone",
            "id_applicant_id_number",
            "id_title",
            "id_description",
        ],
    )
    row = page.evaluate(
        "() => Math.round(document.getElementById('id_description')"
        ".closest('.field').getBoundingClientRect().width)"
    )
    assert widths["id_description"] == row
    assert widths["id_title"] == row
    assert widths["id_received_on"] < 220
    assert widths["id_applicant_phone"] < 260
    assert widths["id_applicant_id_number"] < 300
    assert widths["id_received_on"] * 2 < widths["id_description"]


def test_agency_form_code_is_narrower_than_the_name(matrix, open_page):
    """The agency code (a ``size``d text field) and the sort number are short; the
    agency's full name keeps the row's width."""
    page = open_page("coordinator", viewport=DESKTOP)
    page.goto(page.base_url + "/workspace/agencies/new/")
    widths = page.evaluate(WIDTHS_JS, ["id_code", "id_name", "id_sort_order"])
    assert widths["id_code"] < 250
    assert widths["id_sort_order"] < 160
    assert widths["id_name"] > 2 * widths["id_code"]


@pytest.mark.parametrize(
    ("user", "path"),
    [
        (None, "/requests/new/"),
        ("editor_a", "/workspace/requests/new/"),
        ("coordinator", "/workspace/agencies/new/"),
        ("coordinator", "/workspace/calendar/"),
        ("editor_a", "/workspace/negative-list/entries/new/"),
    ],
)
def test_no_field_is_wider_than_a_phone(matrix, open_page, user, path):
    """At 360 px every visible field of the form lies inside the viewport."""
    page = open_page(user, viewport=PHONE)
    page.goto(page.base_url + path)
    assert page.evaluate(COUNT_JS) >= 3
    assert page.evaluate(OVERFLOWING_JS) == []
