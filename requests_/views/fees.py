"""The fee steps on the request's page: their forms, labels and services.

``requests_.views.workspace`` merges ``FEE_ACTIONS`` and ``FEE_LABELS`` into its
action table, so the fee steps are offered and posted like every other step of
the request (one form per action, one POST path, the same re-render on refusal).
The fee notice itself is shown by ``requests_/workspace/_fee_notice.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DATE_INPUT
from portal.validation import limit
from requests_ import services
from requests_.forms import OnDateForm
from requests_.models import FeeScale
from requests_.transitions import RequestAction

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class FeeNotifyForm(OnDateForm):
    scale = forms.ChoiceField(label=_("计收方式"), choices=FeeScale.choices)
    quantity = forms.IntegerField(
        label=_("件数/页数"),
        min_value=1,
        initial=1,
        help_text=_(
            "按件计收：本申请按“一事一申请”计算的件数；按量计收：提供信息的页数。"
        ),
    )
    how_to_pay = forms.CharField(
        label=_("缴费方式"), widget=TEXTAREA, max_length=limit("fee", "how_to_pay")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = _("申请人收到收费通知日期")


class FeePaymentForm(forms.Form):
    paid_amount = forms.DecimalField(
        label=_("实缴金额（元）"), max_digits=10, decimal_places=2, min_value=0
    )
    paid_on = forms.DateField(label=_("缴费日期"), widget=DATE_INPUT, required=False)
    receipt_number = forms.CharField(
        label=_("票据号码"), max_length=limit("fee", "receipt_number")
    )


class FeeWaiveForm(OnDateForm):
    reason = forms.CharField(
        label=_("减免理由"), widget=TEXTAREA, max_length=limit("fee", "reason")
    )


FEE_LABELS = {
    RequestAction.FEE_NOTIFY: _("发出收费通知（停止计时）"),
    RequestAction.FEE_PAY: _("登记缴费"),
    RequestAction.FEE_WAIVE: _("批准减免收费"),
    RequestAction.FEE_LAPSE: _("逾期未缴费"),
}

FEE_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    RequestAction.FEE_NOTIFY: (
        FeeNotifyForm,
        lambda u, r, d: services.fee_notify(actor=u, request=r, **d),
    ),
    RequestAction.FEE_PAY: (
        FeePaymentForm,
        lambda u, r, d: services.fee_record_payment(actor=u, request=r, **d),
    ),
    RequestAction.FEE_WAIVE: (
        FeeWaiveForm,
        lambda u, r, d: services.fee_waive(actor=u, request=r, **d),
    ),
    RequestAction.FEE_LAPSE: (
        OnDateForm,
        lambda u, r, d: services.fee_lapse(actor=u, request=r, on=d.get("on")),
    ),
}
