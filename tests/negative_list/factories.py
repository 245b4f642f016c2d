"""Factories and builders for negative-list tests.

Entries are built through the services so versions, statuses and audit events stay
consistent; the builders take the actors that would really do each step.
"""

from __future__ import annotations

from negative_list import services
from negative_list.models import Entry, Exemption, Provision
from negative_list.services import EntryContent

REGULATION = "《中华人民共和国政府信息公开条例》"


def exemption(code: str) -> Exemption:
    return Exemption.objects.get(code=code)


def provision(law: str = REGULATION, article: str = "第十六条第二款") -> Provision:
    return Provision.objects.get(law=law, article=article)


def content(**overrides: object) -> EntryContent:
    """Return realistic wording of a process-information entry."""
    values = {
        "category": exemption("process_info"),
        "title": "区政府常务会议讨论记录",
        "scope": "区政府常务会议、专题会议的讨论记录和会议纪要中尚未形成决定的内容",
        "provisions": (provision(),),
        "responsible_unit": "区政府办公室",
        "notes": "会议形成的决定按规定主动公开。",
    }
    values.update(overrides)
    return EntryContent(**values)


def draft(editor, agency, **overrides: object) -> Entry:
    return services.entry_create(
        actor=editor, agency=agency, content=content(**overrides)
    )


def submitted(editor, agency, **overrides: object) -> Entry:
    return services.entry_submit(actor=editor, entry=draft(editor, agency, **overrides))


def approved(editor, reviewer, agency, **overrides: object) -> Entry:
    entry = submitted(editor, agency, **overrides)
    return services.entry_approve(actor=reviewer, entry=entry)


def amended(editor, entry: Entry, **overrides: object) -> Entry:
    """Reopen a published entry and save new wording (an amendment in draft)."""
    services.entry_amend(actor=editor, entry=entry)
    return services.entry_update(
        actor=editor, entry=entry, content=content(**overrides)
    )


def amendment_approved(editor, reviewer, entry: Entry, **overrides: object) -> Entry:
    """Amend a published entry and see the new wording through review."""
    amended(editor, entry, **overrides)
    services.entry_submit(actor=editor, entry=entry)
    return services.entry_approve(actor=reviewer, entry=entry)


def retained(reviewer, task):
    """Record a review task's conclusion: lawful, concise, keep the entry."""
    return services.review_task_record(
        actor=reviewer,
        task=task,
        legality="pass",
        conciseness="pass",
        decision="retain",
    )


def published_list(editor, reviewer, agency, wordings: list[dict]):
    """Approve one entry per wording and publish them as the next list version."""
    for overrides in wordings:
        approved(editor, reviewer, agency, **overrides)
    return services.list_version_publish(actor=reviewer, agency=agency)


def second_wording() -> dict:
    return {
        "category": exemption("third_party"),
        "title": "纳税人涉税保密信息",
        "scope": "纳税人、扣缴义务人的纳税申报资料、账簿凭证及其他涉税保密信息",
        "provisions": (
            provision("《中华人民共和国税收征收管理法》", "第八条第二款"),
            provision(REGULATION, "第十五条"),
        ),
        "responsible_unit": "税政管理处",
    }


def letters_wording() -> dict:
    """Wording of a second process-information entry (requests and letters)."""
    return {
        "title": "请示报告与磋商信函",
        "scope": "向上级机关报送的请示、报告以及与其他机关之间往来的磋商信函",
    }
