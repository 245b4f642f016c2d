"""The staff daily digest: exact content per person, once a day, opt-out."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from messaging.models import Digest, DigestPreference, Message
from tests.negative_list import factories as nl
from tests.requests_ import factories

pytestmark = pytest.mark.django_db

# A Thursday with no holiday near: requests received on Monday 2 November are
# due on Monday 30 November (20 working days), those of Monday 9 November on
# Monday 7 December, within five working days of the digest's day.
DAY = dt.date(2026, 12, 3)
NAMES = {
    "editor_a": "李黄浦",
    "editor_b": "王徐汇",
    "reviewer_a": "赵审核",
    "coordinator": "张全市",
}
FOOTER = "如不需要每日摘要，可在工作台点击您的姓名，在“每日待办摘要”中关闭。"


@pytest.fixture
def city(matrix):
    """Two districts' requests, one entry awaiting review, named people."""
    for actor, name in NAMES.items():
        get_user_model().objects.filter(pk=matrix.users[actor].pk).update(
            first_name=name, last_name=""
        )
        matrix.users[actor].refresh_from_db()
    editor_a, editor_b = matrix.user("editor_a"), matrix.user("editor_b")
    late_a, _ = factories.register(
        editor_a, matrix.agency_a, dt.date(2026, 11, 2), title="黄浦区旧改资金安排"
    )
    soon_a, _ = factories.register(
        editor_a, matrix.agency_a, dt.date(2026, 11, 9), title="黄浦区学校建设计划"
    )
    late_b, _ = factories.register(
        editor_b, matrix.agency_b, dt.date(2026, 11, 2), title="徐汇区道路养护合同"
    )
    entry = nl.submitted(editor_a, matrix.agency_a)
    return {"late_a": late_a, "soon_a": soon_a, "late_b": late_b, "entry": entry}


def send_digests(day: dt.date = DAY) -> str:
    out = StringIO()
    call_command("send_digests", f"--date={day.isoformat()}", stdout=out)
    return out.getvalue()


def digest_of(actor: str) -> Message:
    return Message.objects.get(kind="digest", recipient_user__username=actor)


def test_each_person_gets_their_own_work_and_the_coordinator_the_citys(city):
    """Editors see their district's requests, the reviewer also the entry
    awaiting review, the coordinator both districts'."""
    late_a, soon_a, late_b = (
        city[k].tracking_code for k in ("late_a", "soon_a", "late_b")
    )
    entry = city["entry"]

    assert send_digests() == "2026-12-03: 4 digests queued, 0 with nothing to report\n"

    editor_a = digest_of("editor_a")
    assert editor_a.to == "editor_a@example.gov.cn"
    assert editor_a.subject == "政务公开每日待办（2026年12月3日）：共 2 项"
    assert editor_a.body == "\n".join(
        [
            "李黄浦，您好：",
            "",
            "截至 2026年12月3日，以下事项等待您处理：",
            "",
            "已超期的申请（1）",
            f"- {late_a} 黄浦区旧改资金安排（黄浦区），答复期限 2026年11月30日",
            "",
            "即将到期的申请（1）",
            f"- {soon_a} 黄浦区学校建设计划（黄浦区），答复期限 2026年12月7日",
            "",
            FOOTER,
        ]
    )
    editor_b = digest_of("editor_b")
    assert editor_b.subject == "政务公开每日待办（2026年12月3日）：共 1 项"
    assert editor_b.body == "\n".join(
        [
            "王徐汇，您好：",
            "",
            "截至 2026年12月3日，以下事项等待您处理：",
            "",
            "已超期的申请（1）",
            f"- {late_b} 徐汇区道路养护合同（徐汇区），答复期限 2026年11月30日",
            "",
            FOOTER,
        ]
    )
    reviewer_a = digest_of("reviewer_a")
    assert reviewer_a.subject == "政务公开每日待办（2026年12月3日）：共 3 项"
    assert reviewer_a.body.split("\n")[4:] == [
        "已超期的申请（1）",
        f"- {late_a} 黄浦区旧改资金安排（黄浦区），答复期限 2026年11月30日",
        "",
        "即将到期的申请（1）",
        f"- {soon_a} 黄浦区学校建设计划（黄浦区），答复期限 2026年12月7日",
        "",
        "待我审核的负面清单条目（1）",
        f"- {entry.code} 区政府常务会议讨论记录（黄浦区）",
        "",
        FOOTER,
    ]
    coordinator = digest_of("coordinator")
    assert coordinator.subject == "政务公开每日待办（2026年12月3日）：共 3 项"
    assert coordinator.body.split("\n")[:4] == [
        "张全市，您好：",
        "",
        "截至 2026年12月3日，以下事项等待您处理：",
        "",
    ]
    assert coordinator.body.split("\n")[4:] == [
        "已超期的申请（2）",
        f"- {late_b} 徐汇区道路养护合同（徐汇区），答复期限 2026年11月30日",
        f"- {late_a} 黄浦区旧改资金安排（黄浦区），答复期限 2026年11月30日",
        "",
        "即将到期的申请（1）",
        f"- {soon_a} 黄浦区学校建设计划（黄浦区），答复期限 2026年12月7日",
        "",
        FOOTER,
    ]
    # The digest carries no applicant identity.
    assert all(
        factories.APPLICANT_NAME not in m.body
        for m in Message.objects.filter(kind="digest")
    )


def test_a_second_run_the_same_day_sends_nothing_more(city):
    send_digests()
    assert send_digests() == "2026-12-03: 0 digests queued, 0 with nothing to report\n"
    assert Message.objects.filter(kind="digest").count() == 4
    assert Digest.objects.filter(day=DAY).count() == 4
    # The next day is a new digest.
    assert send_digests(DAY + dt.timedelta(days=1)).startswith(
        "2026-12-04: 4 digests queued"
    )


def test_a_day_with_nothing_to_do_is_recorded_and_sends_nothing(matrix):
    assert send_digests() == "2026-12-03: 0 digests queued, 4 with nothing to report\n"
    assert Message.objects.count() == 0
    assert sorted(Digest.objects.values_list("user__username", "items")) == [
        ("coordinator", 0),
        ("editor_a", 0),
        ("editor_b", 0),
        ("reviewer_a", 0),
    ]


def test_a_person_who_switched_the_digest_off_gets_none(city, matrix):
    """Switched off on the preference page, through the real client."""
    client = matrix.client("editor_b")
    page = client.get("/workspace/me/digest/")
    assert 'name="receive_digest"' in page.content.decode()
    assert "checked" in page.content.decode()
    response = client.post("/workspace/me/digest/", {})
    assert response.status_code == 302
    assert list(
        DigestPreference.objects.values_list("user__username", "receive_digest")
    ) == [("editor_b", False)]
    assert "checked" not in client.get("/workspace/me/digest/").content.decode()

    assert send_digests() == "2026-12-03: 3 digests queued, 0 with nothing to report\n"
    assert sorted(
        Message.objects.filter(kind="digest").values_list(
            "recipient_user__username", flat=True
        )
    ) == ["coordinator", "editor_a", "reviewer_a"]

    # Switched on again, the next day's digest comes.
    client.post("/workspace/me/digest/", {"receive_digest": "on"})
    send_digests(DAY + dt.timedelta(days=1))
    assert Message.objects.filter(recipient_user__username="editor_b").count() == 1


def test_digests_leave_through_the_mail_framework(
    city, django_capture_on_commit_callbacks
):
    """After commit each digest is sent (the locmem outbox of the test runner)."""
    with django_capture_on_commit_callbacks(execute=True):
        send_digests()
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("coordinator@example.gov.cn", "政务公开每日待办（2026年12月3日）：共 3 项"),
        ("editor_a@example.gov.cn", "政务公开每日待办（2026年12月3日）：共 2 项"),
        ("editor_b@example.gov.cn", "政务公开每日待办（2026年12月3日）：共 1 项"),
        ("reviewer_a@example.gov.cn", "政务公开每日待办（2026年12月3日）：共 3 项"),
    ]
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_letters_drafted_but_not_issued_are_in_the_digest(city, matrix):
    """A draft reply waits for the agency's editors, not for others."""
    from letters import services as letters
    from requests_.models import Outcome
    from tests.letters.builders import reply_for, set_up_letters

    set_up_letters(matrix.agency_a, matrix.user("superuser"))
    editor_a = matrix.user("editor_a")
    request, _ = factories.register(
        editor_a, matrix.agency_a, DAY, title="黄浦区停车场收费标准"
    )
    request = reply_for(editor_a, request, Outcome.OTHER_OTHER)
    letters.letter_draft(actor=editor_a, request=request, kind="reply")
    send_digests()
    assert digest_of("editor_a").body.split("\n")[-5:] == [
        "",
        "已起草未签发的文书（1）",
        f"- {request.tracking_code} 政府信息公开申请答复书（黄浦区）",
        "",
        FOOTER,
    ]
    assert "已起草未签发的文书" not in digest_of("reviewer_a").body
    assert "已起草未签发的文书" not in digest_of("editor_b").body


def test_online_submissions_awaiting_confirmation_are_in_the_digest(city, matrix):
    """A request submitted online to B waits for B's staff and the coordinator."""
    from requests_ import services as requests

    submitted = requests.request_submit_online(
        agency=matrix.agency_b,
        title="徐汇区公园改造方案",
        description="申请获取徐汇区公园改造方案及批复。",
        **factories.applicant(),
    ).request
    send_digests()
    section = [
        "待确认的网上申请（1）",
        f"- {submitted.tracking_code} 徐汇区公园改造方案（徐汇区）",
    ]
    assert digest_of("editor_b").body.split("\n")[-5:-2] == ["", *section]
    assert digest_of("editor_b").subject == "政务公开每日待办（2026年12月3日）：共 2 项"
    coordinator = digest_of("coordinator").body.split("\n")
    assert (
        coordinator[coordinator.index(section[0]) : coordinator.index(section[0]) + 2]
        == section
    )
    assert "待确认的网上申请" not in digest_of("editor_a").body
