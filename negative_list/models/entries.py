"""Entries of a negative list and the versions of their wording."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from negative_list.models.legal import Exemption, Provision
from portal.models import Agency

REGULATION = "《中华人民共和国政府信息公开条例》"


class Entry(models.Model):
    """The stable identity of one list entry of one agency.

    ``status`` is the state of the working (latest) version. The wording the public
    sees is the one in the agency's current ``ListVersion``; ``published_version``
    points at it for quick reads.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("审核通过")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已取消")

    agency = models.ForeignKey(
        Agency, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("事项编号"), max_length=48, unique=True)
    serial = models.PositiveIntegerField(_("序号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    latest_version = models.ForeignKey(
        "EntryVersion",
        verbose_name=_("当前版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_version = models.ForeignKey(
        "EntryVersion",
        verbose_name=_("已发布版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["agency__tree_path", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "serial"], name="entry_serial_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "approved",
                        "published",
                        "retired",
                    ]
                ),
                name="entry_status_valid",
            ),
        ]

    def __str__(self) -> str:
        version = self.published_version or self.latest_version
        return f"{self.code} {version.title if version else ''}".strip()

    @property
    def _shown(self) -> EntryVersion | None:
        return self.published_version or self.latest_version

    @property
    def category_code(self) -> str:
        """Return the exemption code of the published wording (else the draft's)."""
        version = self._shown
        return version.category_id if version else ""

    @property
    def title(self) -> str:
        """Return the 事项名称 of the published wording (else the draft's)."""
        version = self._shown
        return version.title if version else ""


class EntryVersion(models.Model):
    """One wording of an entry. Drafts are edited in place; once approved, a
    change means a new version."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    category = models.ForeignKey(
        Exemption, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("事项名称"), max_length=200)
    scope = models.TextField(_("不予公开的具体范围"))
    provisions = models.ManyToManyField(
        Provision,
        verbose_name=_("不予公开的法律政策依据"),
        related_name="+",
        blank=True,
    )
    basis_note = models.CharField(
        _("依据补充说明"),
        max_length=300,
        blank=True,
        help_text=_("目录外的依据文字（如导入时未匹配的部分），仅供审核参考。"),
    )
    responsible_unit = models.CharField(_("责任处室"), max_length=100, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    change_note = models.TextField(_("修订说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["entry", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "number"], name="entry_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry.code} v{self.number} {self.title}"

    def basis_text(self) -> str:
        """Return the cited provisions as one line, as the public table shows them."""
        # The Regulation first, as published lists do, then the special laws.
        provisions = sorted(
            self.provisions.all(),
            key=lambda p: (not p.law.startswith(REGULATION), p.law, p.pk),
        )
        return "；".join(p.citation for p in provisions)
