"""The record of every conversion decision, its review and its amendments.

A row is written for each decision or proposal and is never rewritten except to
record its one review (approved or returned) or that a later decision replaced
it; the request's own ``conversion_decision`` holds only the decision in force.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_.models.choices import ConversionDecision, NonConversionReason


class ConversionReviewStatus(models.TextChoices):
    # "Convert" and "link" are the editor's call and take effect at once.
    IN_FORCE = "in_force", _("已生效")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("已退回")
    # A decision in force that a later, approved amendment replaced.
    REPLACED = "replaced", _("已被更正")


class ConversionReview(models.Model):
    """One conversion decision or "not convert" proposal of a request.

    ``previous`` is set on an amendment: the decision in force it corrects, with
    ``amendment_reason``. A "not convert" proposal waits for a reviewer of the
    handling agency who did not propose it; the reviewer's reason is kept.
    """

    request = models.ForeignKey(
        "requests_.DisclosureRequest",
        verbose_name=_("申请"),
        on_delete=models.CASCADE,
        related_name="conversion_reviews",
    )
    decision = models.CharField(
        _("决定"), max_length=16, choices=ConversionDecision.choices
    )
    reason = models.CharField(
        _("不转理由"), max_length=20, choices=NonConversionReason.choices, blank=True
    )
    note = models.TextField(_("理由说明"), blank=True)
    concerns_applicant = models.BooleanField(_("信息涉及申请人自身"), default=False)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("被更正的决定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amendment_reason = models.TextField(_("更正理由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ConversionReviewStatus.choices
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_on = models.DateField(_("提出日期"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("转主动公开决定记录")
        verbose_name_plural = _("转主动公开决定记录")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="pending"),
                name="conversion_review_one_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(review_note=""),
                name="conversion_review_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(previous__isnull=True)
                | ~models.Q(amendment_reason=""),
                name="conversion_review_amendment_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="not_convert") | ~models.Q(reason=""),
                name="conversion_review_not_convert_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.get_status_display()})"
