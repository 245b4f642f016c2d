"""Each automatic check, with wording taken from real negative lists."""

from __future__ import annotations

import datetime as dt

import pytest

from negative_list import lint, services
from negative_list.models import Provision
from tests.negative_list import factories

pytestmark = pytest.mark.django_db

REG = "《中华人民共和国政府信息公开条例》"


def codes(findings: list[lint.Finding]) -> list[str]:
    return [f.code for f in findings]


def check(matrix, editor, **overrides) -> list[lint.Finding]:
    entry = factories.draft(editor, matrix.agency_a, **overrides)
    return lint.check_version(entry.latest_version)


def test_specific_entry_passes_every_check(matrix, editor):
    assert check(matrix, editor) == []


def test_no_provision(matrix, editor):
    findings = check(matrix, editor, provisions=())
    assert codes(findings) == ["no_provision"]
    assert findings[0].message == str(lint.NO_PROVISION)


def test_repealed_provision_of_the_2007_regulation(matrix, editor):
    """An old list citing 2007 第十四条第四款 needs re-basing (drafting refuses a
    repealed provision, so the entry stands for one carried over from the old list)."""
    old = Provision.objects.get(law=f"{REG}（2007年）", article="第十四条第四款")
    entry = factories.draft(
        editor,
        matrix.agency_a,
        category=factories.exemption("third_party"),
        title="个人隐私信息",
        scope="涉及公民个人身份证件号码、家庭住址、健康状况等个人隐私的信息",
    )
    entry.latest_version.provisions.set([old])
    findings = lint.check_version(entry.latest_version)
    assert codes(findings) == ["repealed_provision"]
    assert "2019年5月15日废止" in findings[0].message


def test_repealed_check_uses_the_given_day():
    provision = Provision(
        law="《某条例》", article="第一条", repealed_on=dt.date(2030, 1, 1)
    )
    assert lint.check_provisions([provision], today=dt.date(2029, 12, 31)) == []
    assert lint.check_provisions([provision], today=dt.date(2030, 1, 1))


@pytest.mark.parametrize(
    ("article", "title", "scope", "code", "fragments"),
    [
        # Internal affairs (第十六条第一款) cannot rest on 第十五条 alone.
        pytest.param(
            "第十五条",
            "机关后勤管理信息",
            "机关公务用车调度、办公用房分配、食堂与物业管理等内部后勤管理信息",
            "category_mismatch",
            ("内部事务信息", "第十五条"),
            id="category-inconsistent-with-cited-article",
        ),
        # Budgets are disclosed proactively (第二十条): withholding them is flagged.
        pytest.param(
            "第十六条第一款",
            "部门预算",
            "本机关年度部门预算和决算及“三公”经费安排情况",
            "proactive_overlap",
            ("“预算”",),
            id="scope-overlapping-proactive-disclosure",
        ),
    ],
)
def test_internal_affairs_entry_is_flagged(
    matrix, editor, article, title, scope, code, fragments
):
    """An internal-affairs entry is flagged by the one check its wording fails,
    and the message names what it found."""
    findings = check(
        matrix,
        editor,
        category=factories.exemption("internal_affairs"),
        provisions=(factories.provision(REG, article),),
        title=title,
        scope=scope,
    )
    assert codes(findings) == [code]
    for fragment in fragments:
        assert fragment in findings[0].message


@pytest.mark.parametrize(
    ("scope", "phrase"),
    [
        ("其他不宜公开的信息", "不宜公开"),
        ("其它涉及本机关工作的事项", "其它"),
        ("涉及国家秘密的相关信息", "相关信息"),
        ("会议纪要、请示报告等", "等"),
    ],
)
def test_vague_catch_all_wording(scope, phrase):
    """Catch-alls experts warn against are flagged with the offending phrase."""
    findings = [f for f in lint.check_wording(scope) if f.code == "vague_wording"]
    assert findings
    assert f"“{phrase}”" in findings[0].message


def test_long_specific_scope_ending_in_deng_is_not_vague():
    scope = "纳税人、扣缴义务人的纳税申报资料、账簿凭证及财务会计报表等"
    assert lint.vague_phrase(scope) is None


def test_scope_too_short(matrix, editor):
    findings = check(matrix, editor, scope="会议记录")
    assert "scope_too_short" in codes(findings)
    message = next(f.message for f in findings if f.code == "scope_too_short")
    assert message == str(
        lint.SCOPE_TOO_SHORT % {"length": 4, "minimum": lint.MIN_SCOPE_CHARS}
    )


SAME_ITEM_SCOPE = "区政府常务会议的讨论记录及会议纪要中未形成正式决定的内容"


def test_near_duplicate_of_a_published_entry_of_another_agency(matrix, editor):
    """The same item already published by another agency is flagged with its code."""
    factories.published_list(
        matrix.user("editor_b"), matrix.user("superuser"), matrix.agency_b, [{}]
    )
    findings = check(matrix, editor, scope=SAME_ITEM_SCOPE)
    assert codes(findings) == ["near_duplicate"]
    assert "徐汇区" in findings[0].message
    assert "310104000-001" in findings[0].message


def test_near_duplicate_of_an_own_draft(matrix, editor):
    factories.draft(editor, matrix.agency_a)
    findings = check(matrix, editor, scope=SAME_ITEM_SCOPE)
    assert codes(findings) == ["near_duplicate"]
    assert "310101000-001" in findings[0].message


@pytest.mark.parametrize("stage", ["draft", "submitted"])
def test_other_agencies_unpublished_entries_are_not_shown(matrix, editor, stage):
    """Another agency's drafts are not the author's to see, even as a finding."""
    getattr(factories, stage)(matrix.user("editor_b"), matrix.agency_b)
    findings = check(matrix, editor, scope=SAME_ITEM_SCOPE)
    assert "near_duplicate" not in codes(findings)
    assert not any("310104000" in f.message for f in findings)


def test_different_entries_are_not_duplicates(matrix, editor):
    factories.draft(editor, matrix.agency_a)
    findings = check(matrix, editor, **factories.second_wording())
    assert "near_duplicate" not in codes(findings)


def test_retired_entries_are_not_compared(matrix, editor):
    entry = factories.draft(editor, matrix.agency_a)
    entry.status = "retired"
    entry.save()
    assert check(matrix, editor) == []


def test_budget_drafts_before_approval_are_not_flagged():
    assert (
        lint.check_proactive("预算编制过程稿", "报市人大审议前的预算草案和测算底稿")
        == []
    )


def test_findings_update_after_the_editor_fixes_the_wording(matrix, editor):
    entry = factories.draft(editor, matrix.agency_a, scope="其他不宜公开的信息")
    assert "vague_wording" in codes(lint.check_version(entry.latest_version))
    services.entry_update(actor=editor, entry=entry, content=factories.content())
    entry.refresh_from_db()
    assert lint.check_version(entry.latest_version) == []
