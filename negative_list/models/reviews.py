"""Periodic review (定期评审, 第十八条): cycles and their tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list.models.entries import Entry, EntryVersion
from portal.models import Agency


class ReviewCycle(models.Model):
    """A periodic review (定期评审, 第十八条) of one agency's list, or of all lists."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("名称"), max_length=100)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示全部已发布清单的机构。"),
    )
    due_on = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("定期评审")
        verbose_name_plural = _("定期评审")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "closed"]),
                name="review_cycle_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        day = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_on < day


class ReviewTask(models.Model):
    """The review of one published entry within a cycle."""

    class Status(models.TextChoices):
        OPEN = "open", _("待评审")
        DONE = "done", _("已评审")

    class Verdict(models.TextChoices):
        PASS = "pass", _("符合")
        FAIL = "fail", _("不符合")

    class Decision(models.TextChoices):
        RETAIN = "retain", _("保留")
        AMEND = "amend", _("修订")
        RETIRE = "retire", _("取消")

    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("定期评审"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    entry = models.ForeignKey(
        Entry,
        verbose_name=_("事项"),
        on_delete=models.PROTECT,
        related_name="review_tasks",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    entry_version = models.ForeignKey(
        EntryVersion,
        verbose_name=_("评审版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    legality = models.CharField(
        _("合法性审查"), max_length=8, choices=Verdict.choices, blank=True
    )
    conciseness = models.CharField(
        _("精简性审查"), max_length=8, choices=Verdict.choices, blank=True
    )
    decision = models.CharField(
        _("结论"), max_length=8, choices=Decision.choices, blank=True
    )
    reasons = models.TextField(_("理由"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("评审时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        ordering = ["cycle", "agency__tree_path", "entry__serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "entry"], name="review_task_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open")
                | (
                    ~models.Q(legality="")
                    & ~models.Q(conciseness="")
                    & ~models.Q(decision="")
                ),
                name="review_task_done_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.entry.code}"
