"""Load staff and their roles from a spreadsheet (XLSX or CSV).

One row per person and agency: user name, display name, e-mail, agency code and
role(s). Accounts are created without a usable password (first sign-in through
the identity provider, or a password-set link by e-mail); a password is never
read from or written by a file. Roles are granted through
``portal.services.membership_grant``; a person missing from a later file is never
deleted, and only with ``end_missing`` are the roles the file no longer lists, at
the agencies the file covers, ended through ``membership_revoke``: each one
audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import permissions, services
from portal.errors import PermissionDenied
from portal.imports.common import (
    Column,
    Sheet,
    SheetCheck,
    check_text,
    read_sheet,
)
from portal.models import Agency, Membership, Role
from portal.validation import TEXT_LIMITS

COLUMNS = (
    Column(
        "username",
        "用户名",
        ("登录名", "账号", "user_name"),
        True,
        "必填。登录用的账号，与统一身份认证平台中的账号一致；已有的账号按用户名匹配"
        "（不区分大小写）。",
    ),
    Column(
        "full_name",
        "姓名",
        ("显示名称", "display_name"),
        False,
        "选填。页面上显示的姓名。",
    ),
    Column(
        "email",
        "电子邮箱",
        ("邮箱", "e-mail", "mail"),
        False,
        "选填。接收设置密码链接和工作提醒的邮箱。",
    ),
    Column(
        "agency",
        "机构代码",
        ("机构", "agency_code"),
        True,
        "必填。此人工作的机构的机构代码（须已导入）。同一人在多个机构工作时写多行。",
    ),
    Column(
        "roles",
        "角色",
        ("role", "角色（可多个）"),
        True,
        "必填。编辑、审核人或政务公开办协调员（也可写 editor、reviewer、"
        "coordinator），多个用“、”或“,”分隔。",
    ),
)
# Short words people write for a role, beside its value and its label. Parsing a
# file names roles as data (like the model declaring them); who may grant them is
# still asked of the predicates, by the services.
ROLE_ALIASES = {"协调员": "coordinator", "审核": "reviewer", "审核员": "reviewer"}
ROLE_WORDS = {
    **{role.value: role.value for role in Role},
    **{str(role.label): role.value for role in Role},
    **{word: Role(value).value for word, value in ROLE_ALIASES.items()},
}
ROLE_SEPARATORS = re.compile(r"[、,，;；/\s]+")
USER_LIMITS = {k: v for k, v in TEXT_LIMITS["user"].items() if k != "password"}

BAD_USERNAME = _("用户名“%(value)s”只能包含字母、数字和 @/./+/-/_。")
BAD_EMAIL = _("“%(value)s”不是有效的电子邮箱地址。")
UNKNOWN_AGENCY = _("找不到机构代码“%(value)s”：请先导入机构。")
UNKNOWN_ROLE = _("无法识别的角色“%(value)s”：请填写编辑、审核人或政务公开办协调员。")
CONFLICT = _("与第 %(row)s 行写的不一致：同一个人只能有一个%(column)s。")
NOT_YOURS = _("无权管理机构“%(value)s”的人员：它不在您负责的范围内。")
NOT_YOURSELF = _("不能通过导入修改自己的角色或信息。")
PERSON_NOT_YOURS = _("无权修改“%(value)s”的信息：此人还在您负责范围以外的机构任职。")
ENDED_NOTE = "import_staff --end-missing"


@dataclass
class StaffRow:
    row: int
    values: dict[str, str]
    agency: Agency | None = None
    roles: list[str] = field(default_factory=list)

    @property
    def username(self) -> str:
        return self.values["username"]


@dataclass
class StaffImportResult:
    """What an import did, person by person and role by role."""

    created: list[User] = field(default_factory=list)
    updated: list[User] = field(default_factory=list)
    granted: list[Membership] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    kept_own: int = 0


# --- validation ----------------------------------------------------------------------


class _Check(SheetCheck[StaffRow]):
    def __init__(self, sheet: Sheet, actor: User | None) -> None:
        super().__init__(sheet, actor)
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.people: dict[str, StaffRow] = {}

    def run(self) -> list[StaffRow]:
        rows = []
        for number, values in self.sheet.rows:
            parsed = StaffRow(number, values)
            self._cells(parsed)
            self._same_person(parsed)
            rows.append(parsed)
        if self.actor is not None:
            for parsed in rows:
                self._rights(parsed)
        return rows

    def _cells(self, parsed: StaffRow) -> None:
        values, row = parsed.values, parsed.row
        check_text(
            self.errors,
            self.sheet,
            row,
            values,
            USER_LIMITS,
            required=("username", "agency", "roles"),
        )
        username, email = values["username"], values.get("email", "")
        if username:
            try:
                UnicodeUsernameValidator()(username)
            except ValidationError:
                self.error(row, "username", BAD_USERNAME % {"value": username})
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.error(row, "email", BAD_EMAIL % {"value": email})
        code = values.get("agency", "")
        parsed.agency = self.agencies.get(code)
        if code and parsed.agency is None:
            self.error(row, "agency", UNKNOWN_AGENCY % {"value": code})
        for word in ROLE_SEPARATORS.split(values.get("roles", "")):
            if not word:
                continue
            role = ROLE_WORDS.get(word.lower(), ROLE_WORDS.get(word))
            if role is None:
                self.error(row, "roles", UNKNOWN_ROLE % {"value": word})
            elif role not in parsed.roles:
                parsed.roles.append(role)

    def _same_person(self, parsed: StaffRow) -> None:
        key = parsed.username.lower()
        first = self.people.setdefault(key, parsed)
        if first is parsed:
            return
        for name in ("full_name", "email"):
            mine, theirs = parsed.values.get(name, ""), first.values.get(name, "")
            if mine and theirs and mine != theirs:
                column = self.sheet.column(name)
                message = CONFLICT % {"row": first.row, "column": column}
                self.error(parsed.row, name, message)
            elif mine and not theirs:
                first.values[name] = mine

    def _rights(self, parsed: StaffRow) -> None:
        actor = self.actor
        if parsed.username.lower() == actor.get_username().lower():
            self.error(parsed.row, "username", NOT_YOURSELF)
            return
        if parsed.agency is not None and not permissions.can_manage_agency(
            actor, parsed.agency
        ):
            self.error(parsed.row, "agency", NOT_YOURS % {"value": parsed.agency.name})
            return
        person = _find_user(parsed.username)
        first = self.people[parsed.username.lower()]
        if (
            person is not None
            and first is parsed
            and _person_changes(person, parsed)
            and not permissions.can_manage_user(actor, person)
        ):
            self.error(
                parsed.row, "username", PERSON_NOT_YOURS % {"value": parsed.username}
            )


def _find_user(username: str) -> User | None:
    return get_user_model().objects.filter(username__iexact=username).first()


def _person_changes(person: User, parsed: StaffRow) -> dict[str, str]:
    """Return the display name and e-mail the row changes (blank cells keep)."""
    wanted = {
        "full_name": parsed.values.get("full_name", ""),
        "email": parsed.values.get("email", ""),
    }
    current = {"full_name": person.first_name, "email": person.email}
    return {k: v for k, v in wanted.items() if v and v != current[k]}


# --- writing -------------------------------------------------------------------------


def _person(actor: User | None, parsed: StaffRow, result: StaffImportResult) -> User:
    values = parsed.values
    person = _find_user(parsed.username)
    if person is None:
        person = services.user_create(
            actor=actor,
            username=parsed.username,
            password=None,
            full_name=values.get("full_name", ""),
            email=values.get("email", ""),
            agency=parsed.agency,
        )
        result.created.append(person)
        return person
    changes = _person_changes(person, parsed)
    if changes:
        person = services.user_update(
            actor=actor,
            user=person,
            full_name=changes.get("full_name", person.first_name),
            email=changes.get("email", person.email),
        )
        result.updated.append(person)
    return person


def _end_missing(
    actor: User | None,
    rows: list[StaffRow],
    people: dict[str, User],
    result: StaffImportResult,
) -> None:
    listed = {
        (people[r.username.lower()].pk, r.agency.pk, role)
        for r in rows
        for role in r.roles
    }
    covered = {r.agency.pk for r in rows}
    for membership in (
        Membership.objects.filter(agency_id__in=covered)
        .select_related("user", "agency")
        .order_by("pk")
    ):
        key = (membership.user_id, membership.agency_id, membership.role)
        if key in listed:
            continue
        if actor is not None and membership.user_id == actor.pk:
            result.kept_own += 1
            continue
        result.ended.append(str(membership))
        services.membership_revoke(actor=actor, membership=membership, note=ENDED_NOTE)


@transaction.atomic
def staff_import(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    end_missing: bool = False,
) -> StaffImportResult:
    """Create people and grant the file's roles, all rows or none.

    With ``end_missing`` the roles at the file's agencies that the file no longer
    lists are ended (never the importing coordinator's own). Nobody is deleted.
    """
    if actor is not None and not permissions.can_import_staff(actor):
        raise PermissionDenied()
    sheet = read_sheet(data, filename, COLUMNS)
    rows = _Check.validate(sheet, actor=actor)
    result = StaffImportResult()
    people: dict[str, User] = {}
    for parsed in rows:
        key = parsed.username.lower()
        if key not in people:
            people[key] = _person(actor, parsed, result)
        person = people[key]
        held = set(
            Membership.objects.filter(user=person, agency=parsed.agency).values_list(
                "role", flat=True
            )
        )
        for role in parsed.roles:
            if role not in held:
                result.granted.append(
                    services.membership_grant(
                        actor=actor, user=person, agency=parsed.agency, role=role
                    )
                )
    if end_missing:
        _end_missing(actor, rows, people, result)
    return result
