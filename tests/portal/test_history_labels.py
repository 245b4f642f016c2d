"""History in words: every audit verb has a label; pages show labels, not codes.

The verb test reads the source: every ``verb="…"`` literal, the entry steps that
``negative_list.services.entries`` prefixes, the request actions the workflow
prefixes, and the job steps; a new way of building a verb fails it until the test
learns it, so a verb cannot reach a page unlabelled.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from django.conf import settings

from portal import audit_labels
from portal.audit_labels import VERB_LABELS, chinese_date, in_words
from portal.models import AuditEvent
from requests_ import services
from requests_.transitions import RequestAction
from tests.requests_ import factories as fx

APPS = ("portal", "negative_list", "requests_", "search", "messaging")
VERB_LITERAL = re.compile(r"""\bverb=(f?)"([^"]*)\"""")
ENTRY_STEP = re.compile(r"""\b_record\(\s*actor,\s*"([a-z_]+)\"""")
JOB_STEP = re.compile(r"""\b_audit\(\s*job,\s*"([a-z_.]+)\"""")
# The f-string verbs the code builds, and where their last part comes from.
DYNAMIC = {
    "negative_list.entry.{verb}": "entry steps",
    "request.{action}": "request actions",
}


def source_files():
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def verbs_in_code() -> set[str]:
    """Collect every audit verb the code can write."""
    verbs: set[str] = set()
    entry_steps = {"create"}  # create_entry_unchecked's default
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        for is_f, value in VERB_LITERAL.findall(text):
            if is_f:
                assert value in DYNAMIC, f"{path}: new dynamic verb {value!r}"
            elif "." in value:
                verbs.add(value)
            else:  # a step create_entry_unchecked prefixes (verb="import")
                entry_steps.add(value)
        entry_steps.update(ENTRY_STEP.findall(text))
        verbs.update(JOB_STEP.findall(text))
        # Calls passing a verb positionally to audit.record would escape the regex.
        for node in ast.walk(ast.parse(text)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                assert not node.args, f"{path}:{node.lineno}: positional audit"
    verbs.update(f"negative_list.entry.{step}" for step in entry_steps)
    verbs.update(f"request.{action}" for action in RequestAction)
    return verbs


def test_every_verb_in_the_code_has_a_label():
    verbs = verbs_in_code()
    assert len(verbs) >= 40  # the scan found the verbs, not nothing
    assert "request.register" in verbs
    assert "negative_list.review_cycle.open" in verbs
    assert {"message.sent", "message.failed", "message.retry"} <= verbs
    missing = sorted(v for v in verbs if v not in VERB_LABELS)
    assert not missing, f"verbs without a label in an app's audit_labels: {missing}"
    for verb in verbs:
        label = str(VERB_LABELS[verb])
        assert label
        assert not re.search(r"[a-z_]\.[a-z_]", label), label


@pytest.mark.django_db
def test_request_history_reads_in_words(matrix):
    """The staff page shows 登记申请, labels, names; never codes, fields, False."""
    editor = matrix.user("editor_a")
    editor.first_name = "李编辑"
    editor.save()
    item, _secret = fx.register(editor, matrix.agency_a)
    services.request_accept(actor=editor, request=item)
    html = matrix.client("editor_a").get(f"/workspace/requests/{item.pk}/")
    assert html.status_code == 200
    page = html.content.decode()
    history = page[page.index('id="history-title"') :]
    for words in ("登记申请", "受理申请", "状态", "已登记", "办理中", "李编辑"):
        assert words in history, words
    assert matrix.agency_a.name in history
    assert chinese_date(item.received_on) in history
    for code in (
        "request.register",
        "request.accept",
        "reply_due_provisional",
        "reply_due_on",
        "clock_start",
        ">received<",
        "False",
        "True",
        editor.username,
    ):
        assert code not in history, code


@pytest.mark.django_db
def test_screening_events_name_the_kind_and_place(matrix):
    """A masked hit is told as 手机号码 in 正文, not ``mobile`` in ``body``."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = fx.submitted(editor, matrix.agency_a, body="联系电话13812345678。")
    services.screen_hit_mask(actor=reviewer, hit=draft.screening_hits.get())
    event = AuditEvent.objects.get(verb="disclosure.screen_mask")
    (described,) = in_words([event])
    assert described.verb == "遮盖个人信息"
    rows = {change.label: change.after for change in described.changes}
    assert rows["个人信息类型"] == "手机号码"
    assert rows["位置"] == "正文"


AUDITED_FIELDS = [
    ("portal.agency", "portal.services", "AGENCY_FIELDS"),
    (
        "requests_.disclosurerequest",
        "requests_.services._common",
        "REQUEST_AUDIT_FIELDS",
    ),
    ("requests_.disclosure", "requests_.services._common", "DISCLOSURE_AUDIT_FIELDS"),
    ("requests_.disclosurerequest", "requests_.services.appeals", "APPEAL_FIELDS"),
    ("negative_list.entry", "negative_list.services.entries", "CONTENT_FIELDS"),
    ("negative_list.provision", "negative_list.services.catalogue", "FIELDS"),
    (
        "negative_list.interpretation",
        "negative_list.services.lists",
        "INTERPRETATION_FIELDS",
    ),
]


@pytest.mark.parametrize(("model", "module", "name"), AUDITED_FIELDS)
def test_every_audited_field_has_a_chinese_label(model, module, name):
    """The fields services snapshot into events are labelled in Chinese."""
    fields = getattr(importlib.import_module(module), name)
    for key in fields:
        label = audit_labels.describe_key(model, key)
        assert re.search(r"[\u4e00-\u9fff]", label), (model, key, label)
