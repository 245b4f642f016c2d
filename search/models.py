"""The search outbox: what the index still has to learn.

A row is written in the same transaction that publishes or withdraws something, so
a publication can never be committed without its index update being recorded.
The consumer (``search.outbox.drain``) asks the document's source whether the
object is public *now*, and indexes or deletes accordingly.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    class Action(models.TextChoices):
        UPSERT = "upsert", _("索引")
        DELETE = "delete", _("删除")

    doc_type = models.CharField(_("文档类型"), max_length=32)
    object_id = models.CharField(_("对象"), max_length=64)
    action = models.CharField(_("操作"), max_length=8, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("索引待办")
        verbose_name_plural = _("索引待办")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["upsert", "delete"]),
                name="outbox_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.doc_type}:{self.object_id}"

    @property
    def document_id(self) -> str:
        return f"{self.doc_type}:{self.object_id}"
