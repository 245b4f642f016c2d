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
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.decorators import staff_required
from portal.errors import DomainError
from portal.forms import DATE_INPUT
from portal.validation import limit
from requests_ import services
from requests_.forms import OnDateForm
from requests_.models import FeeScale
from requests_.transitions import RequestAction

TEXTAREA = forms.Textarea(attrs={"rows": 3})
EARLIER_NOT_FOUND = _("没有找到该查询码的申请。")


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
    RequestAction.FEE_NOTIFY: (FeeNotifyForm, services.fee_notify),
    RequestAction.FEE_PAY: (FeePaymentForm, services.fee_record_payment),
    RequestAction.FEE_WAIVE: (FeeWaiveForm, services.fee_waive),
    RequestAction.FEE_LAPSE: (OnDateForm, services.fee_lapse),
}


class RepeatOfForm(forms.Form):
    earlier = forms.CharField(
        label=_("原申请的查询码"),
        max_length=16,
        required=False,
        help_text=_("同一申请人此前向本机关提出的相同申请；留空则取消关联。"),
    )


def repeat_of_form(user: Any, item: Any) -> RepeatOfForm | None:
    """Return the repeat-link form when ``user`` handles the open ``item``."""
    from requests_ import permissions

    if item.is_open and permissions.can_handle_request(user, item):
        return RepeatOfForm(auto_id="id_repeat_%s")
    return None


@staff_required
@require_POST
def request_repeat_of(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the request to the earlier one it repeats (（五）2), by tracking code."""
    from requests_ import permissions
    from requests_.views.workspace import _post, _scoped

    item = _scoped(request, pk)

    def link(data: dict) -> Any:
        code = data["earlier"].strip().upper()
        earlier = None
        if code:
            earlier = (
                permissions.readable_requests_qs(request.user)
                .filter(tracking_code=code)
                .first()
            )
            if earlier is None:
                raise DomainError(EARLIER_NOT_FOUND, code="not_found", field="earlier")
        return services.request_mark_repeat(
            actor=request.user, request=item, earlier=earlier
        )

    return _post(request, item, RepeatOfForm(request.POST), link, _("已保存。"))
