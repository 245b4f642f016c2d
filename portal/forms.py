"""Forms parse input; services decide. No form assigns state."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.models import Agency, Role
from portal.params import supported_date_validators
from portal.validation import limit


class AgencyForm(forms.Form):
    code = forms.CharField(label=_("机构代码"), max_length=limit("agency", "code"))
    name = forms.CharField(label=_("名称"), max_length=limit("agency", "name"))
    short_name = forms.CharField(
        label=_("简称"), max_length=limit("agency", "short_name"), required=False
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Agency.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("上级机构"), queryset=Agency.objects.none(), required=False
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, parents=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            parents if parents is not None else Agency.objects.none()
        )
        if editing:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _(
                "机构代码是索引号的前缀，发布后不能修改。"
            )
        else:
            del self.fields["is_active"]


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("用户"), queryset=get_user_model().objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=limit("user", "username"))
    full_name = forms.CharField(
        label=_("姓名"), max_length=limit("user", "full_name"), required=False
    )
    email = forms.EmailField(
        label=_("电子邮箱"), max_length=limit("user", "email"), required=False
    )
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        max_length=limit("user", "password"),
    )
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=supported_date_validators(),
    )
    is_workday = forms.TypedChoiceField(
        label=_("该日为"),
        choices=[("1", _("工作日（调休上班）")), ("0", _("休息日（节假日）"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("说明"), max_length=limit("calendar_override", "note")
    )


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label=_("起算日（收到申请之日）"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=supported_date_validators(),
    )
    days = forms.IntegerField(
        label=_("工作日数"), min_value=0, max_value=200, initial=20
    )


class AgencyImportForm(forms.Form):
    file = forms.FileField(
        label=_("机构表"),
        help_text=_(
            "XLSX 或 CSV；表头：机构代码、名称、简称、类型、上级机构代码、"
            "发文字号前缀、行政复议机关、行政诉讼管辖法院。"
        ),
    )


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("人员表"),
        help_text=_("XLSX 或 CSV；表头：用户名、姓名、电子邮箱、机构代码、角色。"),
    )
    end_missing = forms.BooleanField(
        label=_("结束文件中不再列出的角色"),
        required=False,
        help_text=_(
            "只涉及文件中出现的机构；人员账号不会被删除，每个结束的角色都记入审计记录。"
        ),
    )
    send_password_links = forms.BooleanField(
        label=_("给新账号发送设置密码的邮件"),
        required=False,
    )
