"""Published list versions (immutable snapshots) and the interpretation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list.models.entries import Entry, EntryVersion
from portal.models import Agency, WriteOnceQuerySet

SNAPSHOT_IMMUTABLE = "已发布的清单版本不能修改或删除。"


class SnapshotImmutable(Exception):
    """Raised when code tries to change or delete a published snapshot."""


class Interpretation(models.Model):
    """The agency's working interpretation (清单解读), copied into each version."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="+"
    )
    review_basis = models.TextField(_("审核依据"), blank=True)
    adjustment_standards = models.TextField(_("调整标准"), blank=True)
    operating_procedure = models.TextField(_("操作办法"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("清单解读")
        verbose_name_plural = _("清单解读")

    def __str__(self) -> str:
        return f"{self.agency} 清单解读"


class ImmutableQuerySet(WriteOnceQuerySet):
    """Refuse bulk rewrites of published snapshots."""

    error = SnapshotImmutable
    message = SNAPSHOT_IMMUTABLE


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise SnapshotImmutable(SNAPSHOT_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotImmutable(SNAPSHOT_IMMUTABLE)


class ListVersion(ImmutableModel):
    """A published negative list of one agency: immutable once written."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("版本号"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_summary = models.JSONField(_("变更摘要"), default=dict, blank=True)
    note = models.TextField(_("发布说明"), blank=True)
    review_basis = models.TextField(_("审核依据"), blank=True)
    adjustment_standards = models.TextField(_("调整标准"), blank=True)
    operating_procedure = models.TextField(_("操作办法"), blank=True)
    review_cycle = models.ForeignKey(
        "ReviewCycle",
        verbose_name=_("定期评审"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")
        ordering = ["agency__tree_path", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], name="list_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.display_name} 负面清单 第{self.number}版"

    @property
    def summary_text(self) -> str:
        return self.change_summary.get("text", "")


class ListVersionItem(ImmutableModel):
    """One row of a published list, copied at publication.

    The columns are the public layout: 序号 · 类别 · 事项 · 范围 · 依据 · 说明.
    """

    list_version = models.ForeignKey(
        ListVersion, on_delete=models.PROTECT, related_name="items"
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="list_items"
    )
    entry_version = models.ForeignKey(
        EntryVersion, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("序号"))
    category_code = models.CharField(_("类别代码"), max_length=32)
    category_name = models.CharField(_("类别"), max_length=100)
    title = models.CharField(_("事项名称"), max_length=200)
    scope = models.TextField(_("具体范围"))
    basis = models.TextField(_("不予公开的法律政策依据"))
    responsible_unit = models.CharField(_("责任处室"), max_length=100, blank=True)
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("清单版本事项")
        verbose_name_plural = _("清单版本事项")
        ordering = ["list_version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["list_version", "entry"], name="list_item_entry_unique"
            ),
            models.UniqueConstraint(
                fields=["list_version", "position"], name="list_item_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def get_absolute_url(self) -> str:
        """Return the row on the agency's public list page (for search hits)."""
        url = reverse("negative_list:agency", args=[self.list_version.agency.code])
        return f"{url}#entry-{self.entry_id}"
