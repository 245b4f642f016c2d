"""Letters (答复文书): the numbered, immutable documents of a request's written steps.

A letter is drafted from what the request records, edited by the handling agency's
staff, and frozen when issued: it takes the next number of its agency and year
under a row lock on ``LetterCounter`` and never changes again. A draft that is
cancelled never took a number; an issued letter that turns out wrong is voided
with a reason and keeps its number, so every gap in a year's numbers is explained
by a voided letter, and none is ever reused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LETTER_FROZEN = "已签发的文书不能修改或删除，只能作废并说明理由。"


class LetterFrozen(Exception):
    """Raised when code tries to change or delete an issued letter."""


class LetterKind(models.TextChoices):
    CORRECTION = "correction", _("补正告知书")
    EXTENSION = "extension", _("延期答复告知书")
    CONSULT_THIRD_PARTY = "consult_third_party", _("征求第三方意见书")
    CONSULT_AGENCY = "consult_agency", _("征求其他机关意见函")
    FEE = "fee", _("收费通知书")
    REPLY = "reply", _("政府信息公开申请答复书")


# The word of each kind in the document number: <prefix><word>〔<year>〕<n>号.
NUMBER_WORDS = {
    LetterKind.CORRECTION: "公补",
    LetterKind.EXTENSION: "公延",
    LetterKind.CONSULT_THIRD_PARTY: "公征",
    LetterKind.CONSULT_AGENCY: "公征",
    LetterKind.FEE: "公费",
    LetterKind.REPLY: "公复",
}
# Letters addressed to someone other than the applicant (the third party or the
# other agency consulted): never shown or sent to the applicant.
CONSULTATION_KINDS = frozenset(
    {LetterKind.CONSULT_THIRD_PARTY, LetterKind.CONSULT_AGENCY}
)


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已签发")
    VOID = "void", _("已作废")
    CANCELLED = "cancelled", _("草稿已删除")


NUMBERED_STATUSES = (LetterStatus.ISSUED, LetterStatus.VOID)
# The fields an issued letter keeps for ever; voiding only adds its own fields.
FROZEN_FIELDS = (
    "request_id",
    "agency_id",
    "kind",
    "title",
    "addressee",
    "body",
    "letter_date",
    "year",
    "sequence",
    "number",
    "issued_at",
    "issued_by_id",
)


class LetterCounter(models.Model):
    """The last sequence issued per agency and year; locked while issuing the next."""

    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"], name="letter_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_sequence}"


class Letter(models.Model):
    """One written step of a request: a draft until issued, then frozen."""

    request = models.ForeignKey(
        "requests_.DisclosureRequest",
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    # The handling agency when drafted: it issues the letter and its number.
    agency = models.ForeignKey(
        "portal.Agency",
        verbose_name=_("发文机关"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    kind = models.CharField(_("文书类型"), max_length=24, choices=LetterKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=LetterStatus.choices,
        default=LetterStatus.DRAFT,
        db_index=True,
    )
    title = models.CharField(_("标题"), max_length=200)
    # Whom a consultation letter goes to; empty for letters to the applicant,
    # whose name is read from the request (encrypted) when the letter is shown.
    addressee = models.CharField(_("收文对象"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    letter_date = models.DateField(_("成文日期"), null=True, blank=True)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=80, blank=True)
    fee_notice_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.TextField(_("作废理由"), blank=True)

    class Meta:
        verbose_name = _("答复文书")
        verbose_name_plural = _("答复文书")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="letter_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=LetterStatus.values),
                name="letter_status_valid",
            ),
            # A number exactly when issued (or issued and then voided).
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status__in=NUMBERED_STATUSES,
                        sequence__isnull=False,
                        year__isnull=False,
                        issued_at__isnull=False,
                        letter_date__isnull=False,
                    )
                    & ~models.Q(number="")
                )
                | models.Q(
                    status__in=(LetterStatus.DRAFT, LetterStatus.CANCELLED),
                    sequence__isnull=True,
                    number="",
                    issued_at__isnull=True,
                ),
                name="letter_numbered_when_issued",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=LetterStatus.VOID)
                | ~models.Q(void_reason=""),
                name="letter_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()}（草稿）"

    def save(self, *args, **kwargs) -> None:
        """Refuse any change of an issued letter but its voiding."""
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("status", *FROZEN_FIELDS)
                .first()
            )
            if stored is not None and stored["status"] in NUMBERED_STATUSES:
                changed = [f for f in FROZEN_FIELDS if stored[f] != getattr(self, f)]
                back = stored["status"] == LetterStatus.VOID and self.status != (
                    LetterStatus.VOID
                )
                if changed or back or self.status not in NUMBERED_STATUSES:
                    raise LetterFrozen(LETTER_FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise LetterFrozen(LETTER_FROZEN)
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status in NUMBERED_STATUSES

    @property
    def to_applicant(self) -> bool:
        return self.kind not in CONSULTATION_KINDS


def released_file_path(instance: ReleasedFile, filename: str) -> str:
    """Store under a random name: the original name stays in the row."""
    import uuid
    from pathlib import PurePath

    from django.utils import timezone

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"letters/released/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class ReleasedFile(models.Model):
    """A file released to the applicant with the reply (答复附件).

    Reached only by the applicant's secret link and the handling agency's staff;
    it is listed in the reply letter.
    """

    request = models.ForeignKey(
        "requests_.DisclosureRequest",
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="released_files",
    )
    file = models.FileField(_("文件"), upload_to=released_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提供的信息文件")
        verbose_name_plural = _("提供的信息文件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
