"""The fee notice (收费通知) of a request and what became of it.

国办函〔2020〕109号: a fee is asked by one notice stating basis, scale, amount and
how to pay (第六条); the applicant pays within 20 working days from the day after
receiving it, or the request counts as given up (annual report （六）2). The
fields are the 收费通知书's: a letter can be drafted from one row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeScale(models.TextChoices):
    """第三条: one of the two scales per request, never both."""

    PER_ITEM = "per_item", _("按件计收")
    PER_VOLUME = "per_volume", _("按量计收")


class FeeStatus(models.TextChoices):
    PENDING = "pending", _("待缴费")
    PAID = "paid", _("已缴费")
    WAIVED = "waived", _("已减免")
    LAPSED = "lapsed", _("逾期未缴费")


class FeeNotice(models.Model):
    """One fee notice; changed only by ``requests_.services.fees``.

    ``quantity`` is the items this request counts as (per item) or its pages (per
    volume); ``earlier_items`` the applicant's items already received by the agency
    in the same natural month, which decide the per-item band. ``amount`` is
    computed by ``requests_.fees`` and never typed in.
    """

    request = models.ForeignKey(
        "requests_.DisclosureRequest",
        verbose_name=_("申请"),
        on_delete=models.CASCADE,
        related_name="fee_notices",
    )
    scale = models.CharField(_("计收方式"), max_length=16, choices=FeeScale.choices)
    quantity = models.PositiveIntegerField(_("件数/页数"))
    earlier_items = models.PositiveIntegerField(_("当月此前申请件数"), default=0)
    amount = models.DecimalField(_("收费金额（元）"), max_digits=10, decimal_places=2)
    basis = models.TextField(_("收费依据及计算"))
    how_to_pay = models.TextField(_("缴费方式"))
    notified_on = models.DateField(_("收费通知日期"))
    pay_by = models.DateField(_("缴费期限"))
    pay_by_explanation = models.TextField(_("缴费期限说明"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=FeeStatus.choices,
        default=FeeStatus.PENDING,
        db_index=True,
    )
    paid_amount = models.DecimalField(
        _("实缴金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    receipt_number = models.CharField(_("票据号码"), max_length=64, blank=True)
    waiver_reason = models.TextField(_("减免理由"), blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("减免批准人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    waived_on = models.DateField(_("减免日期"), null=True, blank=True)
    lapsed_on = models.DateField(_("逾期日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("收费通知")
        verbose_name_plural = _("收费通知")
        ordering = ["-notified_on", "-id"]
        constraints = [
            # One notice per request: one scale, never both (第三条).
            models.UniqueConstraint(fields=["request"], name="fee_one_per_request"),
            models.CheckConstraint(
                condition=models.Q(status__in=FeeStatus.values),
                name="fee_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="fee_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid")
                | models.Q(paid_on__isnull=False, paid_amount__isnull=False),
                name="fee_paid_has_payment",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waived") | ~models.Q(waiver_reason=""),
                name="fee_waived_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} {self.amount} 元"
