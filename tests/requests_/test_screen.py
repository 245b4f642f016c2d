"""The personal-data screen blocks approval until every hit is resolved."""

from __future__ import annotations

import pytest

from portal.errors import DomainError, FourEyesViolation, PermissionDenied
from portal.models import AuditEvent, Role
from requests_ import services
from requests_.services import disclosures, screen
from tests.factories import MembershipFactory, UserFactory
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db

VALID_ID = "11010519491231002X"
INVALID_ID = "110105194912310021"  # wrong check digit
BANK_CARD = "6222020200112233446"  # Luhn-valid


def _hits(disclosure):
    return list(disclosure.screening_hits.values_list("location", "kind", "status"))


def test_screen_finds_real_format_numbers_and_ignores_bad_checksums(matrix):
    """Checksum-valid IDs, mobiles, landlines, Luhn cards and e-mails are found;
    an ID with a wrong check digit is not."""
    body = (
        f"身份证{VALID_ID}，错误号码{INVALID_ID}，手机13812345678，"
        f"电话021-64581234，银行卡{BANK_CARD}，邮箱zhang.san@example.com。"
    )
    draft = fx.converted_draft(matrix.user("editor_a"), matrix.agency_a, body=body)
    kinds = sorted(kind for _, kind, _ in _hits(draft))
    assert kinds == ["bank_card", "email", "landline", "mobile", "resident_id"]


def test_screen_finds_the_applicants_own_data(matrix):
    """The applicant's name and ID number from the source request are hits."""
    body = f"申请人{fx.APPLICANT_NAME}申请公开。"
    draft = fx.converted_draft(matrix.user("editor_a"), matrix.agency_a, body=body)
    assert ("body", "applicant", "open") in _hits(draft)


def test_screen_reads_attached_pdf_text(matrix):
    """An ID number inside an attached PDF is a hit located in that attachment."""
    editor = matrix.user("editor_a")
    draft = fx.converted_draft(editor, matrix.agency_a, body="详见附件。")
    attachment = services.disclosure_attachment_add(
        actor=editor,
        disclosure=draft,
        upload=fx.pdf_upload(f"Owner ID {VALID_ID} list"),
    )
    assert (f"attachment:{attachment.pk}", "resident_id", "open") in _hits(draft)


def test_unresolved_hit_blocks_approval_until_masked(matrix):
    """Approval is refused while a hit is open; masking the body resolves it. The
    masking is an edit, so a second reviewer approves (four eyes)."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    second = UserFactory(username="reviewer_a2")
    MembershipFactory(user=second, agency=matrix.agency_a, role=Role.REVIEWER)
    draft = fx.submitted(editor, matrix.agency_a, body="联系电话13812345678。")
    with pytest.raises(DomainError) as exc:
        services.disclosure_approve(actor=reviewer, disclosure=draft)
    assert exc.value.message == disclosures.SCREEN_UNRESOLVED
    hit = draft.screening_hits.get()
    services.screen_hit_mask(actor=reviewer, hit=hit)
    draft.refresh_from_db()
    assert "13812345678" not in draft.body
    assert "138" in draft.body
    assert not draft.screening_hits.exists()
    with pytest.raises(FourEyesViolation):
        services.disclosure_approve(actor=reviewer, disclosure=draft)
    approved = services.disclosure_approve(actor=second, disclosure=draft)
    assert approved.status == "published"


def test_reviewer_accepts_a_hit_with_reason_and_it_is_audited(matrix):
    """A reviewer may keep a hit with a reason; the event has the reason, never the
    number; the acceptance survives a re-screen; then approval passes."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = fx.submitted(editor, matrix.agency_a, body="街道办公电话021-63281234。")
    hit = draft.screening_hits.get()
    with pytest.raises(DomainError) as exc:
        services.screen_hit_accept(actor=reviewer, hit=hit, reason="")
    assert exc.value.message == screen.ACCEPT_REASON
    with pytest.raises(PermissionDenied):
        services.screen_hit_accept(actor=editor, hit=hit, reason="单位电话")
    services.screen_hit_accept(actor=reviewer, hit=hit, reason="单位公开办公电话")
    event = AuditEvent.objects.get(verb="disclosure.screen_accept")
    assert event.note == "单位公开办公电话"
    assert "63281234" not in str(event.after) + event.note
    services.screen_rerun(actor=reviewer, disclosure=draft)
    assert _hits(draft) == [("body", "landline", "accepted")]
    services.disclosure_approve(actor=reviewer, disclosure=draft)


def test_attachment_hit_cannot_be_masked_online(matrix):
    """A hit in an attachment is resolved by replacing the file or accepting it."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = fx.converted_draft(editor, matrix.agency_a, body="详见附件。")
    services.disclosure_attachment_add(
        actor=editor, disclosure=draft, upload=fx.pdf_upload(f"ID {VALID_ID}")
    )
    services.disclosure_submit(actor=editor, disclosure=draft)
    hit = draft.screening_hits.get()
    with pytest.raises(DomainError) as exc:
        services.screen_hit_mask(actor=reviewer, hit=hit)
    assert exc.value.code == "mask_attachment"
    with pytest.raises(DomainError):
        services.disclosure_approve(actor=reviewer, disclosure=draft)


def test_editing_rescreens_and_new_data_blocks_again(matrix):
    """Each edit re-runs the screen, so data added after screening is caught."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = fx.converted_draft(editor, matrix.agency_a, body="无个人信息。")
    assert _hits(draft) == []
    services.disclosure_update(actor=editor, disclosure=draft, summary=f"含{VALID_ID}")
    assert _hits(draft) == [("summary", "resident_id", "open")]
    services.disclosure_submit(actor=editor, disclosure=draft)
    with pytest.raises(DomainError):
        services.disclosure_approve(actor=reviewer, disclosure=draft)
