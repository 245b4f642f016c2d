"""The English interface: language switch, key pages in English, complete catalogue.

The source strings are Simplified Chinese; ``locale/en/LC_MESSAGES/django.po``
holds the English. These tests switch the language the way a visitor does (a
POST to /i18n/setlang/, which sets the language cookie) and read the real pages
through the test client. The catalogue tests parse the .po file itself, so a new
source string without an English translation fails the suite, and they check
that the committed ``django.mo`` was compiled from the current .po.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from django.conf import settings
from django.test import Client

from tests.negative_list import factories as nl
from tests.public_site import publish_converted

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

HOW_TO_FIX = (
    "Run `python manage.py makemessages -l en --ignore=.venv --ignore=tests "
    "--ignore=var --ignore=bench --ignore=scripts --ignore=notes`, translate every "
    "new or fuzzy entry in locale/en/LC_MESSAGES/django.po (remove the `#, fuzzy` "
    "flag once checked), then run `python manage.py compilemessages --ignore=.venv` "
    "and commit both django.po and django.mo."
)


# --- helpers -------------------------------------------------------------------


def english(client: Client) -> Client:
    """Switch ``client`` to English through the language form's endpoint."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_english(html: str, *phrases: str) -> None:
    assert '<html lang="en">' in html
    for phrase in ("Skip to main content", "Home", "Open data", *phrases):
        assert phrase in html, phrase


@pytest.fixture
def published_list(matrix):
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    return nl.published_list(
        editor, reviewer, matrix.agency_a, [{}, nl.second_wording()]
    )


# --- pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_default_language_is_chinese(matrix):
    """Without a language cookie or header the portal speaks Chinese."""
    html = page(Client(), "/")
    assert '<html lang="zh-CN">' in html
    assert "跳到主要内容" in html
    assert "政务公开平台" in html
    assert "Skip to main content" not in html


@pytest.mark.django_db
def test_language_switch_persists_and_can_switch_back(matrix):
    client = english(Client())
    assert '<html lang="en">' in page(client, "/")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-CN">' in page(client, "/")


@pytest.mark.django_db
def test_home_page_in_english(matrix, published_list):
    publish_converted(matrix)
    html = page(english(Client()), "/")
    assert_english(
        html,
        "Government Information Disclosure Portal",
        "Negative lists of non-disclosable information",
        "Conversion column",
        "Request government information online",
        "Staff sign-in",
        "Regulations of the People's Republic of China on the Disclosure of "
        "Government Information",
    )
    assert "跳到主要内容" not in html
    assert "工作人员登录" not in html


@pytest.mark.django_db
def test_column_search_page_in_english(matrix, embedded_index):
    html = page(english(Client()), "/disclosures/")
    assert_english(html, "Conversion column", "Search the column", "Publication date")
    assert "依申请转主动公开专栏" not in html


@pytest.mark.django_db
def test_negative_list_pages_in_english(matrix, published_list):
    client = english(Client())
    index = page(client, "/negative-lists/")
    assert_english(index, "Negative lists of non-disclosable information")
    html = page(client, f"/negative-lists/{matrix.agency_a.code}/")
    assert_english(
        html,
        "negative list of non-disclosable information",
        "Version 1",
        "Entry name",
        "Legal basis for non-disclosure",
        "Download Excel",
    )
    assert "不予公开的法律政策依据" not in html


@pytest.mark.django_db
def test_workspace_dashboard_in_english(matrix):
    client = english(matrix.client("editor_a"))
    html = page(client, "/workspace/")
    assert_english(html, "Workspace", "My roles", "Sign out", "Disclosure requests")
    assert "我的角色" not in html


@pytest.mark.django_db
def test_request_form_in_english(matrix):
    html = page(english(Client()), "/requests/new/")
    assert_english(
        html,
        "Request government information",
        "Applicant type",
        "Individual",
        "Submit request",
    )
    assert "提交申请" not in html


# --- the catalogue -------------------------------------------------------------


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$")


def _store(entry: PoEntry, target: tuple[str, int], text: str) -> None:
    """Append ``text`` to the field ``target`` names (msgstr keeps its index)."""
    key, index = target
    if key == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    else:
        setattr(entry, key, (getattr(entry, key) or "") + text)


def parse_po(path: Path) -> list[PoEntry]:
    """Parse a .po file into its live entries (header and obsolete ``#~`` skipped)."""
    entries: list[PoEntry] = [PoEntry()]
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        entry = entries[-1]
        if not line or (line.startswith("#,") and target):
            entries.append(PoEntry())  # a blank line (or new flags) ends an entry
            target = None
            entry = entries[-1]
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith('"'):
            assert target, f"{path}:{number}: continuation without a keyword"
            _store(entry, target, ast.literal_eval(line))
        elif line and not line.startswith("#"):
            match = KEYWORD.match(line)
            assert match, f"{path}:{number}: cannot parse {line!r}"
            keyword, index, text = match.groups()
            entry.line = entry.line or number
            target = (keyword, int(index or 0))
            _store(entry, target, ast.literal_eval(text))
    return [e for e in entries if e.msgid]


def test_po_parser_reads_the_catalogue():
    entries = parse_po(PO_FILE)
    assert len(entries) > 500
    by_id = {e.msgid: e for e in entries}
    assert by_id["负面清单"].msgstr == {0: "Negative list"}
    plural = next(e for e in entries if e.msgid_plural)
    assert set(plural.msgstr) == {0, 1}


def test_every_string_has_an_english_translation():
    """No source string may reach the English UI untranslated or fuzzy."""
    entries = parse_po(PO_FILE)
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in entries
        if not e.msgstr or any(not text for text in e.msgstr.values())
    ]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in entries if "fuzzy" in e.flags]
    assert not untranslated, (
        f"{len(untranslated)} untranslated entries in {PO_FILE.name}:\n"
        + "\n".join(untranslated[:30])
        + "\n"
        + HOW_TO_FIX
    )
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy entries in {PO_FILE.name}:\n"
        + "\n".join(fuzzy[:30])
        + "\n"
        + HOW_TO_FIX
    )


def test_placeholders_survive_translation():
    """Every %(name)s of the source appears in the translation, and nothing else."""
    pattern = re.compile(r"%\(\w+\)[sd]|%%")
    wrong = []
    for e in parse_po(PO_FILE):
        expected = sorted(pattern.findall(e.msgid))
        for text in e.msgstr.values():
            if sorted(pattern.findall(text)) != expected:
                wrong.append(f"line {e.line}: {e.msgid!r} -> {text!r}")
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


def lookup(catalogue: gettext.GNUTranslations, context: str | None, msgid: str) -> str:
    if context is None:
        return catalogue.gettext(msgid)
    return catalogue.pgettext(context, msgid)


def test_compiled_catalogue_matches_the_po_file():
    """The committed django.mo holds exactly the current translations."""
    assert MO_FILE.exists(), HOW_TO_FIX
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for e in parse_po(PO_FILE):
        if e.msgid_plural is None:
            compiled = {0: lookup(catalogue, e.msgctxt, e.msgid)}
        else:
            compiled = {
                index: catalogue.ngettext(
                    e.msgid, e.msgid_plural, 1 if index == 0 else 2
                )
                for index in e.msgstr
            }
        if compiled != e.msgstr:
            stale.append(e.msgid)
    assert not stale, (
        f"django.mo is out of date for {len(stale)} entries (first: {stale[0]!r}). "
        + HOW_TO_FIX
    )
