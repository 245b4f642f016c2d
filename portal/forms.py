"""Forms parse input; services decide. No form assigns state."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.models import Agency, Role
from portal.params import supported_date_validators
from portal.validation import limit

AGENCY_PROMPT = _("请选择机关（可输入名称筛选）")
# The groups of the agency tree a chooser shows, in order: the city government, its
# departments (with their units), the districts (with theirs).
AGENCY_GROUPS = (
    (Agency.Kind.CITY, _("市政府")),
    (Agency.Kind.DEPARTMENT, _("市级部门")),
    (Agency.Kind.DISTRICT, _("区")),
)
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def short_text(chars: int) -> forms.TextInput:
    """Return a text input about ``chars`` characters wide, for a code or a name.

    The stylesheet gives a text field the row's width unless it carries ``size``.
    """
    return forms.TextInput(attrs={"size": chars})


def agency_tree_groups(agencies) -> list[tuple[str, list[Agency]]]:
    """Group ``agencies`` under the kind of their branch, each group in tree order.

    A branch is an agency directly below the city (a department or a district);
    a sub-unit goes with its branch. Siblings follow ``sort_order`` then name, so
    the list reads as the tree does, not in code order.
    """
    agencies = list(agencies)
    ids = {pk for a in agencies for pk in a.ancestor_ids()}
    tree = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}

    def path_key(agency: Agency) -> tuple:
        return tuple(
            (node.sort_order, node.name)
            for node in (tree.get(pk) for pk in agency.ancestor_ids())
            if node is not None
        )

    def branch_kind(agency: Agency) -> str:
        path = [tree[pk] for pk in agency.ancestor_ids() if pk in tree]
        below_city = [a for a in path if a.kind != Agency.Kind.CITY]
        return below_city[0].kind if below_city else Agency.Kind.CITY

    grouped: dict[str, list[Agency]] = {kind: [] for kind, _label in AGENCY_GROUPS}
    for agency in sorted(agencies, key=path_key):
        kind = branch_kind(agency)
        grouped.setdefault(kind if kind in grouped else Agency.Kind.CITY, []).append(
            agency
        )
    return [
        (str(label), grouped[kind]) for kind, label in AGENCY_GROUPS if grouped[kind]
    ]


class AgencyChoiceIterator(forms.models.ModelChoiceIterator):
    """The agencies as ``<optgroup>``s of the tree (see ``agency_tree_groups``)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for label, agencies in agency_tree_groups(self.queryset):
            yield (label, [self.choice(agency) for agency in agencies])


class AgencySelect(forms.Select):
    """The grouped select; its script adds the text filter (progressive)."""

    class Media:
        js = [forms.widgets.Script("portal/js/agency_filter.js", defer=True)]


class AgencyChoiceField(forms.ModelChoiceField):
    """Choose an agency from the tree: grouped, indented, with a Chinese prompt.

    The select carries ``data-agency-filter``; ``portal/js/agency_filter.js`` adds
    a text filter in front of it. Without the script the grouped select works.
    """

    iterator = AgencyChoiceIterator
    widget = AgencySelect

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("queryset", Agency.objects.none())
        kwargs.setdefault("empty_label", AGENCY_PROMPT)
        super().__init__(*args, **kwargs)
        self.widget.attrs["data-agency-filter"] = ""

    def label_from_instance(self, obj: Agency) -> str:
        # Sub-units sit one step in under their department or district.
        indent = "\u3000" * max(obj.depth - 1, 0)
        return f"{indent}{obj.name}"


def choose_agency(form: forms.Form, agencies) -> None:
    """List ``agencies`` in the form's ``agency`` field; preselect the user's own.

    The allowed agencies are the ones the user works at and those below them; when
    they hang from one agency (an editor of 黄浦区 and its units), that agency is
    chosen already on a required field. The prompt stays, so it reads as a choice.
    """
    field = form.fields["agency"]
    field.queryset = agencies if agencies is not None else Agency.objects.none()
    if field.required and not form.is_bound and "agency" not in form.initial:
        own = own_agency(field.queryset)
        if own is not None:
            form.initial["agency"] = own.pk


def own_agency(agencies) -> Agency | None:
    """Return the one agency every other in ``agencies`` lies below, if there is one."""
    listed = list(agencies.only("pk", "tree_path")[:500])
    roots = [
        a
        for a in listed
        if not any(o is not a and a.tree_path.startswith(o.tree_path) for o in listed)
    ]
    return roots[0] if len(roots) == 1 else None


class AgencyFormMixin:
    """A form whose ``agency`` field lists the ``agencies`` its view allows."""

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choose_agency(self, agencies)


class AgencyForm(forms.Form):
    code = forms.CharField(
        label=_("机构代码"), max_length=limit("agency", "code"), widget=short_text(16)
    )
    name = forms.CharField(label=_("名称"), max_length=limit("agency", "name"))
    short_name = forms.CharField(
        label=_("简称"),
        max_length=limit("agency", "short_name"),
        required=False,
        widget=short_text(20),
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Agency.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("上级机构"), queryset=Agency.objects.none(), required=False
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    # What the agency's letters (答复文书) print: number prefix and route of appeal.
    doc_no_prefix = forms.CharField(
        label=_("发文字号前缀"),
        max_length=limit("agency", "doc_no_prefix"),
        required=False,
        widget=short_text(16),
        help_text=_("如“黄府信”，文书编号为“黄府信公复〔2026〕12号”。"),
    )
    review_body = forms.CharField(
        label=_("行政复议机关"),
        max_length=limit("agency", "review_body"),
        required=False,
    )
    court = forms.CharField(
        label=_("行政诉讼管辖法院"), max_length=limit("agency", "court"), required=False
    )

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
    username = forms.CharField(
        label=_("用户名"), max_length=limit("user", "username"), widget=short_text(20)
    )
    full_name = forms.CharField(
        label=_("姓名"),
        max_length=limit("user", "full_name"),
        required=False,
        widget=short_text(20),
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
        widget=DATE_INPUT,
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
        widget=DATE_INPUT,
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
