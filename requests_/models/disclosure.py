"""Disclosures (主动公开信息) in the column, their attachments, index numbers and the
personal-data screen."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_.models.choices import DisclosureSource, DisclosureStatus, HitStatus

# <organisation code>/<year>-<serial>; imported columns may use other serial
# shapes, but always one slash so the number reads as a path in the URL.
INDEX_NO_RE = r"^[0-9A-Za-z]{2,32}/[0-9A-Za-z._-]{1,30}$"
INDEX_NO_VALIDATOR = RegexValidator(
    INDEX_NO_RE, _("索引号格式应为“机构代码/年份-序号”，例如 310101000/2025-00012。")
)


class DisclosureQuerySet(models.QuerySet):
    def public(self, now=None):
        """Return disclosures visible now: published, due, not withdrawn."""
        now = now or timezone.now()
        return self.filter(status=DisclosureStatus.PUBLISHED, publish_at__lte=now)

    def tombstoned(self):
        return self.filter(status=DisclosureStatus.WITHDRAWN, publish_at__isnull=False)


class Disclosure(models.Model):
    """An item of the column: converted from a request, or imported from an old one.

    ``index_no`` is assigned once, at creation, and never changes. Visibility is
    decided at read time from ``status`` and ``publish_at`` (a scheduled item
    becomes public when its time comes, without a timer).
    """

    agency = models.ForeignKey(
        "portal.Agency",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    index_no = models.CharField(
        _("索引号"), max_length=64, unique=True, validators=[INDEX_NO_VALIDATOR]
    )
    title = models.CharField(_("名称"), max_length=200)
    topic = models.ForeignKey(
        "portal.Topic",
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    doc_no = models.CharField(_("文号"), max_length=100, blank=True)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True)
    is_valid = models.BooleanField(_("有效"), default=True)
    source = models.CharField(
        _("来源"),
        max_length=16,
        choices=DisclosureSource.choices,
        default=DisclosureSource.CONVERSION,
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=DisclosureStatus.choices,
        default=DisclosureStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    screened_at = models.DateTimeField(_("筛查时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    publish_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, db_index=True
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("主动公开信息")
        verbose_name_plural = _("主动公开信息")
        ordering = ["-publish_at", "-id"]
        indexes = [
            # What is public now, newest first, and per agency: the column's
            # lists, the home page counts and the sitemap.
            models.Index(
                fields=["status", "publish_at", "agency"], name="disclosure_public_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DisclosureStatus.values),
                name="disclosure_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | models.Q(publish_at__isnull=False),
                name="disclosure_published_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn")
                | ~models.Q(withdrawn_reason=""),
                name="disclosure_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.index_no} {self.title}"[:200]

    def get_absolute_url(self) -> str:
        """Return the public page (a tombstone once withdrawn)."""
        from django.urls import reverse

        return reverse("requests_:disclosure_public", args=[self.index_no])

    def is_public(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == DisclosureStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
        )

    @property
    def keyword_list(self) -> list[str]:
        import re

        return [k for k in re.split(r"[,，;；、\s]+", self.keywords) if k]


def attachment_path(instance: DisclosureAttachment, filename: str) -> str:
    # The stored name is neutral; the original name is kept in a field and sent in
    # Content-Disposition, so an uploaded name never becomes a path.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"disclosures/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class DisclosureAttachment(models.Model):
    """A PDF, DOCX or XLSX file of a disclosure, with its text for search and screen.

    The file is stored without its metadata (author, comments, properties).
    """

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    extracted_text = models.TextField(blank=True)
    extraction_warnings = models.JSONField(default=list, blank=True)
    # The stored file is the cleaned one (``requests_.metadata.clean``); a file
    # stored before cleaning existed stays False until cleaned, and a disclosure
    # with such a file cannot be approved.
    metadata_removed = models.BooleanField(_("已去除元数据"), default=False)
    # Whatever metadata the stored file still carries, as text (normally empty),
    # for the personal-data screen.
    metadata_text = models.TextField(_("剩余元数据"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class IndexCounter(models.Model):
    """The last serial issued per agency and year; locked while issuing the next."""

    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"], name="index_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_serial}"


class ScreeningHit(models.Model):
    """Personal data the screen found in a disclosure, and what was done about it.

    The matched value is not copied here (only a hash, to carry a reviewer's
    decision over to the next run); the context is cut from the live text.
    """

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="screening_hits"
    )
    location = models.CharField(_("位置"), max_length=32)
    kind = models.CharField(_("类型"), max_length=32)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    value_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("处理"), max_length=12, choices=HitStatus.choices, default=HitStatus.OPEN
    )
    reason = models.TextField(_("保留理由"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息筛查结果")
        verbose_name_plural = _("个人信息筛查结果")
        ordering = ["location", "start", "id"]

    def __str__(self) -> str:
        return f"{self.kind}@{self.location}:{self.start}"

    @property
    def kind_label(self) -> str:
        """What the hit identifies a person by, in words (the code if unknown)."""
        from requests_.screening import HIT_LABELS

        return str(HIT_LABELS.get(self.kind, self.kind))
