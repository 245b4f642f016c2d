"""Letters: drafted from the record, numbered at issue, frozen for ever after."""

from __future__ import annotations

import datetime as dt

import pytest

from django.db import DatabaseError, transaction

from letters import drafting, services
from letters.models import Letter, LetterFrozen, LetterStatus
from portal import audit
from portal.errors import DomainError, InvalidTransition, PermissionDenied
from requests_ import services as rq_services
from requests_.models import Outcome
from tests.letters import builders as b
from tests.requests_ import factories as rq

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("letter_clock")]

REG = "依照《中华人民共和国政府信息公开条例》"
# What each outcome row's reply says about its legal basis, written out by hand.
DECISIONS = {
    Outcome.DISCLOSED: REG
    + "第三十六条第（二）项，本机关决定予以公开，随本答复向您提供。",
    Outcome.PARTIAL: REG + "第十五条及第三十七条，本机关对该信息作区分处理",
    Outcome.WITHHELD_STATE_SECRET: REG
    + "第十四条及第三十六条第（三）项，本机关决定不予公开。",
    Outcome.WITHHELD_LAW_PROHIBITED: REG
    + "第十四条及第三十六条第（三）项，本机关决定不予公开。",
    Outcome.WITHHELD_SECURITY_STABILITY: REG
    + "第十四条及第三十六条第（三）项，本机关决定不予公开。",
    Outcome.WITHHELD_THIRD_PARTY: REG
    + "第十五条及第三十六条第（三）项，本机关决定不予公开。",
    Outcome.WITHHELD_INTERNAL_AFFAIRS: REG
    + "第十六条第一款及第三十六条第（三）项，本机关决定不予公开。",
    Outcome.WITHHELD_PROCESS_INFO: REG
    + "第十六条第二款及第三十六条第（三）项，本机关决定不予公开。",
    Outcome.WITHHELD_ENFORCEMENT_FILE: REG
    + "第十六条第二款及第三十六条第（三）项，本机关决定不予公开。",
    Outcome.WITHHELD_ADMINISTRATIVE_QUERY: REG
    + "第三十六条第（七）项，本机关决定不予公开。",
    Outcome.UNAVAILABLE_NOT_HELD: REG + "第三十六条第（四）项、第（五）项告知您",
    Outcome.UNAVAILABLE_NEEDS_CREATION: REG + "第三十八条，本机关不予提供。",
    Outcome.UNAVAILABLE_STILL_UNCLEAR: REG + "第三十条，本机关无法提供。",
    Outcome.NOT_HANDLED_PETITION: REG + "第三十九条第一款，不作为政府信息公开申请处理",
    Outcome.NOT_HANDLED_REPEAT: REG
    + "第三十六条第（六）项，对本次重复申请不予重复处理。",
    Outcome.NOT_HANDLED_PUBLICATION: REG + "第三十九条第二款，本机关不作为",
    Outcome.NOT_HANDLED_EXCESSIVE: REG + "第三十五条，本机关不予处理。",
    Outcome.NOT_HANDLED_CONFIRMATION: REG
    + "第三十八条，本机关不作为政府信息公开申请处理。",
    Outcome.OTHER_NO_CORRECTION: REG + "第三十条，视为您放弃申请，本机关不再处理。",
    Outcome.OTHER_FEE_UNPAID: REG + "第四十二条及《政府信息公开信息处理费管理办法》",
    Outcome.OTHER_OTHER: "本机关对您的申请作如下处理。",
}
REVIEW_FIRST = (
    "如对本答复不服，依照《中华人民共和国行政复议法》第二十三条第一款第（四）项，"
    "应当先向上海市人民政府申请行政复议，申请期限为收到本答复之日起六十日内；"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内，"
    "向上海铁路运输法院提起行政诉讼。"
)
EITHER_ROUTE = (
    "如对本答复不服，可以依照《中华人民共和国行政复议法》第二十条，"
    "自收到本答复之日起六十日内向上海市人民政府申请行政复议；也可以依照"
    "《中华人民共和国行政诉讼法》第四十六条，自收到本答复之日起六个月内"
    "向上海铁路运输法院提起行政诉讼。"
)
REFUSALS = {Outcome.PARTIAL} | {o for o in Outcome if o.value.startswith("withheld.")}


@pytest.fixture
def editor(matrix):
    b.set_up_letters(matrix.agency_a, matrix.user("superuser"))
    return matrix.user("editor_a")


def test_the_outcome_table_is_covered():
    """Every outcome row of 表三 has its expected decision sentence here."""
    assert set(DECISIONS) == set(Outcome)


@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
def test_reply_letter_for_every_outcome_row(matrix, editor, outcome):
    """The reply of each outcome row: number, articles, released files, remedy."""
    request, _ = b.registered(editor, matrix.agency_a)
    releasing = outcome in (Outcome.DISCLOSED, Outcome.PARTIAL)
    if releasing:
        b.add_file(editor, request)
    request = b.reply_for(editor, request, outcome)
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    issued = services.letter_issue(actor=editor, letter=letter)

    assert issued.number == "黄府信公复〔2099〕1号"
    assert issued.title == "上海市黄浦区人民政府政府信息公开申请答复书"
    assert issued.letter_date == dt.date(2099, 3, 15)
    lines = issued.body.splitlines()
    assert lines[0] == (
        f"本机关于2026年11月2日收到您提出的政府信息公开申请（查询码 "
        f"{request.tracking_code}），所需信息为：“2024年度老旧小区综合改造项目资金"
        "安排情况”。经办理，现答复如下："
    )
    assert DECISIONS[outcome] in lines[1]
    explained = (
        "申请人无正当理由逾期不补正，视为放弃申请，本机关不再处理。"
        if outcome == Outcome.OTHER_NO_CORRECTION
        else "经查，具体情况如下。"
    )
    assert lines[2] == "具体说明：" + explained
    remedy = REVIEW_FIRST if outcome in REFUSALS else EITHER_ROUTE
    assert lines[-2:] == [remedy, "特此告知。"]
    files = ["随本答复提供的信息：", "1. 资金安排表.pdf"] if releasing else []
    assert lines[3:-2] == files
    assert rq.APPLICANT_NAME not in issued.body


def test_withheld_reply_names_the_negative_list_entry(matrix, editor):
    """A refusal resting on an entry of the published list gives the entry's code."""
    from negative_list.selectors import published_entries
    from tests.negative_list import factories as nl

    nl.published_list(editor, matrix.user("reviewer_a"), matrix.agency_a, [{}])
    entry = published_entries(matrix.agency_a).get()
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.WITHHELD_PROCESS_INFO, entry=entry)
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    assert letter.body.splitlines()[1] == (
        "经审查，您所申请的信息属于行政机关在履行职责过程中形成的过程性信息。"
        + REG
        + "第十六条第二款及第三十六条第（三）项，本机关决定不予公开。"
        f"该信息属于本机关已公布的政务公开负面清单事项（编号 {entry.code}，"
        "区政府常务会议讨论记录）。"
    )


def test_remedy_clause_follows_the_law_on_the_letter_date(matrix):
    """Before 2024-01-01 a refusal could go to court directly; from then on not."""
    agency = b.set_up_letters(matrix.agency_a, matrix.user("superuser"))
    before = drafting.remedy_clause(
        agency=agency, on=dt.date(2023, 12, 31), refusal=True
    )
    assert before == EITHER_ROUTE.replace("第二十条", "第九条")
    after = drafting.remedy_clause(agency=agency, on=dt.date(2024, 1, 1), refusal=True)
    assert after == REVIEW_FIRST
    not_refused = drafting.remedy_clause(
        agency=agency, on=dt.date(2024, 1, 1), refusal=False
    )
    assert not_refused == EITHER_ROUTE


def test_numbers_run_per_agency_and_year_and_are_never_reused(matrix, editor):
    """A cancelled draft takes no number; a voided letter keeps its own."""
    first, _ = b.issued_reply(editor, matrix.agency_a)
    dropped_request, _ = b.registered(editor, matrix.agency_a)
    dropped_request = b.reply_for(editor, dropped_request, Outcome.NOT_HANDLED_REPEAT)
    dropped = services.letter_draft(actor=editor, request=dropped_request, kind="reply")
    dropped = services.letter_cancel(actor=editor, letter=dropped)
    second, _ = b.issued_reply(editor, matrix.agency_a, Outcome.OTHER_OTHER)
    voided = services.letter_void(actor=editor, letter=second, reason="收文对象写错")
    third, _ = b.issued_reply(editor, matrix.agency_a, Outcome.OTHER_OTHER)

    assert (dropped.status, dropped.number, dropped.sequence) == ("cancelled", "", None)
    assert (voided.status, voided.number) == ("void", "黄府信公复〔2099〕2号")
    assert voided.void_reason == "收文对象写错"
    assert [first.number, third.number] == [
        "黄府信公复〔2099〕1号",
        "黄府信公复〔2099〕3号",
    ]


def test_another_agency_counts_from_one(matrix, editor):
    """Agency B's first letter of the year is its own number 1."""
    b.issued_reply(editor, matrix.agency_a)
    b.set_up_letters(matrix.agency_b, matrix.user("superuser"), doc_no_prefix="徐府信")
    letter, _ = b.issued_reply(matrix.user("editor_b"), matrix.agency_b)
    assert letter.number == "徐府信公复〔2099〕1号"


def test_an_issued_letter_cannot_change(matrix, editor):
    """The service refuses, the model refuses, and so does the database."""
    letter, _ = b.issued_reply(editor, matrix.agency_a)
    with pytest.raises(InvalidTransition):
        services.letter_update(actor=editor, letter=letter, body="另一段话")
    with pytest.raises(InvalidTransition):
        services.letter_cancel(actor=editor, letter=letter)
    letter.body = "另一段话"
    with pytest.raises(LetterFrozen):
        letter.save()
    with pytest.raises(LetterFrozen):
        Letter.objects.get(pk=letter.pk).delete()
    for change in ({"body": "另一段话"}, {"sequence": 9}, {"status": "draft"}):
        with pytest.raises(DatabaseError), transaction.atomic():
            Letter.objects.filter(pk=letter.pk).update(**change)
    stored = Letter.objects.get(pk=letter.pk)
    assert (stored.status, stored.number, stored.sequence) == (
        "issued",
        "黄府信公复〔2099〕1号",
        1,
    )
    assert stored.body.startswith("本机关于2026年11月2日收到")


def test_a_voided_letter_stays_void(matrix, editor):
    letter, _ = b.issued_reply(editor, matrix.agency_a)
    voided = services.letter_void(actor=editor, letter=letter, reason="答复内容有误")
    with pytest.raises(InvalidTransition):
        services.letter_void(actor=editor, letter=voided, reason="再次作废")
    with pytest.raises(DatabaseError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.ISSUED)


def test_void_needs_a_reason(matrix, editor):
    letter, _ = b.issued_reply(editor, matrix.agency_a)
    with pytest.raises(DomainError) as exc:
        services.letter_void(actor=editor, letter=letter, reason="  ")
    assert exc.value.message == services.VOID_REASON_REQUIRED
    assert Letter.objects.get(pk=letter.pk).status == "issued"


def test_draft_edit_then_issue_keeps_the_edited_words(matrix, editor):
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.OTHER_OTHER)
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    services.letter_update(actor=editor, letter=letter, body="第一段。\n\n第二段。  ")
    issued = services.letter_issue(actor=editor, letter=letter)
    assert issued.body == "第一段。\n\n第二段。"


def test_unconfigured_agency_leaves_a_mark_and_cannot_issue(matrix):
    """Without a review body the draft says what is missing; issuing refuses."""
    superuser = matrix.user("superuser")
    b.set_up_letters(matrix.agency_a, superuser, review_body="")
    editor = matrix.user("editor_a")
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.DISCLOSED)
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    assert "向【待填写：行政复议机关】申请行政复议" in letter.body
    with pytest.raises(DomainError) as exc:
        services.letter_issue(actor=editor, letter=letter)
    assert exc.value.message == services.PLACEHOLDER_LEFT
    assert Letter.objects.get(pk=letter.pk).number == ""


def test_no_prefix_no_number(matrix):
    b.set_up_letters(matrix.agency_a, matrix.user("superuser"), doc_no_prefix="")
    editor = matrix.user("editor_a")
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.OTHER_OTHER)
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    with pytest.raises(DomainError) as exc:
        services.letter_issue(actor=editor, letter=letter)
    assert exc.value.code == "prefix_missing"


def test_correction_and_extension_notices(matrix, editor):
    """Each written step drafts its own notice, numbered in the same sequence."""
    request, _ = b.registered(editor, matrix.agency_a)
    request = rq_services.request_correction_request(
        actor=editor, request=request, notice="请写明所需信息的年份。", on=b.RECEIVED
    )
    letter = services.letter_draft(actor=editor, request=request, kind="correction")
    issued = services.letter_issue(actor=editor, letter=letter)
    assert issued.number == "黄府信公补〔2099〕1号"
    assert issued.title == "上海市黄浦区人民政府政府信息公开补正告知书"
    assert issued.body.splitlines()[2] == "请写明所需信息的年份。"
    with pytest.raises(DomainError) as exc:
        services.letter_draft(actor=editor, request=request, kind="extension")
    assert exc.value.code == "nothing_to_draft"


def test_consultation_letter_goes_to_the_consulted_party(matrix, editor):
    """The letter is addressed to the party consulted, and cannot go to no one."""
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.consulting(editor, request, "third_party", "某某建设有限公司")
    letter = services.letter_draft(
        actor=editor,
        request=request,
        kind="consult_third_party",
        addressee="某某建设有限公司",
    )
    assert letter.addressee == "某某建设有限公司"
    services.letter_update(actor=editor, letter=letter, body=letter.body, addressee="")
    with pytest.raises(DomainError) as exc:
        services.letter_issue(actor=editor, letter=letter)
    assert exc.value.message == services.ADDRESSEE_REQUIRED
    services.letter_update(
        actor=editor, letter=letter, body=letter.body, addressee="某某建设有限公司"
    )
    issued = services.letter_issue(actor=editor, letter=letter)
    assert (issued.number, issued.addressee, issued.to_applicant) == (
        "黄府信公征〔2099〕1号",
        "某某建设有限公司",
        False,
    )


@pytest.mark.parametrize(
    "actor", ["editor_b", "reviewer_a", "coordinator", "anonymous"]
)
def test_only_the_handling_agencys_editors_write_letters(matrix, editor, actor):
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.OTHER_OTHER)
    with pytest.raises(PermissionDenied):
        services.letter_draft(actor=matrix.user(actor), request=request, kind="reply")
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    with pytest.raises(PermissionDenied):
        services.letter_issue(actor=matrix.user(actor), letter=letter)
    assert Letter.objects.get(pk=letter.pk).status == "draft"


def test_letter_events_are_on_the_letter_and_request_without_identity(matrix, editor):
    letter, _ = b.issued_reply(editor, matrix.agency_a)
    verbs = list(audit.events_for(letter).order_by("id").values_list("verb", flat=True))
    assert verbs == ["letter.draft", "letter.issue"]
    request_verbs = list(
        audit.events_for(letter.request).order_by("id").values_list("verb", flat=True)
    )
    assert [v for v in request_verbs if v.startswith("letter.")] == [
        "letter.file_add",
        "letter.draft",
        "letter.issue",
    ]
    issue = audit.events_for(letter).get(verb="letter.issue")
    assert issue.after == {
        "status": "issued",
        "number": "黄府信公复〔2099〕1号",
        "year": 2099,
        "sequence": 1,
        "letter_date": "2099-03-15",
    }
    on_request = audit.events_for(letter.request).get(verb="letter.issue")
    assert on_request.after == {
        "letter": letter.pk,
        "letter_kind": "reply",
        "letter_status": "issued",
        "number": "黄府信公复〔2099〕1号",
    }
    for event in audit.events_for(letter.request):
        assert (
            rq.APPLICANT_NAME not in str(event.before) + str(event.after) + event.note
        )


def test_files_are_frozen_once_the_reply_is_issued(matrix, editor):
    letter, _ = b.issued_reply(editor, matrix.agency_a)
    with pytest.raises(DomainError) as exc:
        b.add_file(editor, letter.request, name="补充.pdf")
    assert exc.value.message == services.FILES_FROZEN
    assert list(
        letter.request.released_files.values_list("original_name", flat=True)
    ) == ["资金安排表.pdf"]


def test_an_agency_can_have_its_own_wording(matrix, editor, settings, tmp_path):
    """letters/agency/<code>/<kind>.txt wins over the shipped template for that
    agency only."""
    own = tmp_path / "letters" / "agency" / matrix.agency_a.code
    own.mkdir(parents=True)
    (own / "reply.txt").write_text(
        "{% autoescape off %}关于“{{ title }}”：{{ outcome_label }}。\n{{ remedy }}"
        "{% endautoescape %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    request, _ = b.registered(editor, matrix.agency_a)
    request = b.reply_for(editor, request, Outcome.DISCLOSED)
    letter = services.letter_draft(actor=editor, request=request, kind="reply")
    assert letter.body.splitlines() == [
        "关于“2024年度老旧小区综合改造项目资金安排情况”：（一）予以公开。",
        EITHER_ROUTE,
    ]
    b.set_up_letters(matrix.agency_b, matrix.user("superuser"), doc_no_prefix="徐府信")
    other_editor = matrix.user("editor_b")
    other, _ = b.registered(other_editor, matrix.agency_b)
    other = b.reply_for(other_editor, other, Outcome.DISCLOSED)
    shipped = services.letter_draft(actor=other_editor, request=other, kind="reply")
    assert shipped.body.startswith("本机关于2026年11月2日收到您提出的政府信息公开申请")
