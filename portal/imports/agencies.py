"""Load a city's agencies from a spreadsheet (XLSX or CSV): create and update.

One row per agency: its organisation code (the front of every index number it
issues, so the key that never changes), name, short name, kind, the code of its
parent, and the settings its written replies print (document-number prefix,
review body, court). Parents may come after their children in the file and may
already exist in the database; the first import on an empty database creates the
city (the one row without a parent).

The whole file is checked before anything is written, and every change goes
through ``portal.services.agency_create`` / ``agency_update``, so each is audited
and no rule of the tree is bypassed. Re-importing the file updates agencies in
place: their ids, codes, index numbers, memberships and history stay; a moved
agency takes its subtree along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth.models import User
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
from portal.models import AGENCY_CODE_VALIDATOR, Agency
from portal.validation import TEXT_LIMITS

COLUMNS = (
    Column(
        "code",
        "机构代码",
        ("组织机构代码", "代码"),
        True,
        "必填。机构的组织代码，是它发布的每条信息索引号的开头，导入后不能修改；"
        "2–32 位字母或数字。",
    ),
    Column("name", "名称", ("机构名称", "全称"), True, "必填。机构全称，全市唯一。"),
    Column(
        "short_name", "简称", ("机构简称",), False, "选填。页面和列表中显示的简称。"
    ),
    Column(
        "kind",
        "类型",
        ("机构类型",),
        True,
        "必填。市政府、区政府、市级部门或下属单位（也可写 city、district、"
        "department、subunit）。",
    ),
    Column(
        "parent",
        "上级机构代码",
        ("上级代码", "上级机构", "parent_code"),
        True,
        "市政府留空；其他机构填写上级机构的机构代码。上级可以写在本文件的后面，"
        "也可以是系统中已有的机构。",
    ),
    Column(
        "doc_no_prefix",
        "发文字号前缀",
        ("文号前缀",),
        False,
        "选填。答复书等文书的发文字号前缀，例如“黄府信公开”。",
    ),
    Column(
        "review_body",
        "行政复议机关",
        ("复议机关",),
        False,
        "选填。答复书告知申请人可以申请行政复议的机关。",
    ),
    Column(
        "court",
        "行政诉讼管辖法院",
        ("管辖法院", "法院"),
        False,
        "选填。答复书告知申请人可以提起行政诉讼的法院。",
    ),
)
LETTER_KEYS = ("doc_no_prefix", "review_body", "court")
KIND_WORDS = {
    **{kind.value: kind.value for kind in Agency.Kind},
    **{str(kind.label): kind.value for kind in Agency.Kind},
    "市": Agency.Kind.CITY,
    "区": Agency.Kind.DISTRICT,
    "区县": Agency.Kind.DISTRICT,
    "部门": Agency.Kind.DEPARTMENT,
    "委办局": Agency.Kind.DEPARTMENT,
    "单位": Agency.Kind.SUBUNIT,
}

BAD_CODE = _("机构代码“%(value)s”只能包含字母和数字，长度 2–32 位。")
UNKNOWN_KIND = _(
    "无法识别的类型“%(value)s”：请填写市政府、区政府、市级部门或下属单位。"
)
DUPLICATE_CODE = _("机构代码“%(value)s”在文件中重复（第 %(row)s 行）。")
DUPLICATE_NAME = _("名称“%(value)s”在文件中重复（第 %(row)s 行）。")
NAME_TAKEN = _("名称“%(value)s”已被机构 %(code)s 使用。")
UNKNOWN_PARENT = _("找不到上级机构“%(value)s”：它既不在文件中，也不在系统中。")
ROOT_MUST_BE_CITY = _("没有上级机构的只能是市政府（类型填“市政府”）。")
CITY_HAS_NO_PARENT = _("市政府不能有上级机构，请留空。")
ONE_CITY = _("系统中已有市政府 %(code)s，不能再创建一个。")
PARENT_CYCLE = _("上级机构形成循环：第 %(rows)s 行。")
NOT_YOURS = _("无权管理机构“%(value)s”：它不在您负责的范围内。")
CITY_NEEDS_OPERATOR = _(
    "只有系统管理员（或在服务器上运行 import_agencies）能创建市政府。"
)


@dataclass
class AgencyRow:
    row: int
    values: dict[str, str]
    kind: str = ""

    @property
    def code(self) -> str:
        return self.values["code"]

    @property
    def parent(self) -> str:
        return self.values.get("parent", "")


@dataclass
class AgencyImportResult:
    """What an import did: agencies created, updated, and left as they were."""

    created: list[Agency] = field(default_factory=list)
    updated: list[Agency] = field(default_factory=list)
    unchanged: int = 0


# --- validation ----------------------------------------------------------------------


class _Check(SheetCheck[AgencyRow]):
    """Validate a read sheet against itself and the agencies already stored."""

    def __init__(self, sheet: Sheet, actor: User | None) -> None:
        super().__init__(sheet, actor)
        self.existing = {a.code: a for a in Agency.objects.select_related("parent")}
        self.rows: list[AgencyRow] = []
        self.by_code: dict[str, AgencyRow] = {}

    def run(self) -> list[AgencyRow]:
        names: dict[str, int] = {}
        for number, values in self.sheet.rows:
            parsed = AgencyRow(number, values)
            self._cells(parsed, names)
            self.rows.append(parsed)
        for parsed in self.rows:
            self._tree(parsed)
        self._cycles()
        if self.actor is not None and not self.errors:
            for parsed in self.rows:
                self._rights(parsed)
        return self.rows

    def _cells(self, parsed: AgencyRow, names: dict[str, int]) -> None:
        values, row = parsed.values, parsed.row
        before = len(self.errors)
        check_text(
            self.errors,
            self.sheet,
            row,
            values,
            TEXT_LIMITS["agency"],
            required=("code", "name", "kind"),
        )
        code, name = values.get("code", ""), values.get("name", "")
        if code and not re.fullmatch(AGENCY_CODE_VALIDATOR.regex, code):
            self.error(row, "code", BAD_CODE % {"value": code})
        elif code in self.by_code:
            first = self.by_code[code].row
            self.error(row, "code", DUPLICATE_CODE % {"value": code, "row": first})
        elif code:
            self.by_code[code] = parsed
        if name in names:
            self.error(
                row, "name", DUPLICATE_NAME % {"value": name, "row": names[name]}
            )
        elif name:
            names[name] = row
            holder = next((a for a in self.existing.values() if a.name == name), None)
            if holder is not None and holder.code != code:
                self.error(
                    row, "name", NAME_TAKEN % {"value": name, "code": holder.code}
                )
        kind = values.get("kind", "")
        parsed.kind = KIND_WORDS.get(kind.lower(), KIND_WORDS.get(kind, ""))
        if kind and not parsed.kind:
            self.error(row, "kind", UNKNOWN_KIND % {"value": kind})
        if len(self.errors) > before:
            parsed.kind = ""

    def _tree(self, parsed: AgencyRow) -> None:
        row, parent = parsed.row, parsed.parent
        if parent and parent not in self.by_code and parent not in self.existing:
            self.error(row, "parent", UNKNOWN_PARENT % {"value": parent})
        if not parsed.kind:
            return
        if parent and parsed.kind == Agency.Kind.CITY:
            self.error(row, "parent", CITY_HAS_NO_PARENT)
        elif not parent and parsed.kind != Agency.Kind.CITY:
            self.error(row, "parent", ROOT_MUST_BE_CITY)
        elif not parent:
            others = [
                a.code
                for a in self.existing.values()
                if a.parent_id is None and a.code != parsed.code
            ]
            others += [
                r.code
                for r in self.rows
                if r is not parsed and not r.parent and r.row < row
            ]
            if others:
                self.error(row, "kind", ONE_CITY % {"code": others[0]})

    def parent_of(self, code: str) -> str:
        """Return the parent code ``code`` will have once the file is applied."""
        if code in self.by_code:
            return self.by_code[code].parent
        agency = self.existing.get(code)
        return agency.parent.code if agency is not None and agency.parent else ""

    def _cycles(self) -> None:
        reported: set[str] = set()
        for parsed in self.rows:
            path: list[str] = []
            code = parsed.code
            while code and code not in path and code not in reported:
                path.append(code)
                code = self.parent_of(code)
            if code and code in path:
                loop = path[path.index(code) :]
                reported.update(loop)
                rows = sorted(self.by_code[c].row for c in loop if c in self.by_code)
                message = PARENT_CYCLE % {"rows": "、".join(map(str, rows))}
                self.error(rows[0], "parent", message)
            reported.update(path)

    def _rights(self, parsed: AgencyRow) -> None:
        actor = self.actor
        agency = self.existing.get(parsed.code)
        if agency is not None:
            if _changes(parsed, agency, self.sheet) and not (
                permissions.can_manage_agency(actor, agency)
            ):
                self.error(parsed.row, "code", NOT_YOURS % {"value": agency.name})
            return
        code = parsed.parent
        while code and code not in self.existing:
            code = self.parent_of(code)
        if not code:
            if not permissions.can_create_agency(actor, None):
                self.error(parsed.row, "parent", CITY_NEEDS_OPERATOR)
        elif not permissions.can_manage_agency(actor, self.existing[code]):
            anchor = self.existing[code].name
            self.error(parsed.row, "parent", NOT_YOURS % {"value": anchor})


def _changes(parsed: AgencyRow, agency: Agency, sheet: Sheet) -> dict[str, object]:
    """Return the fields of ``agency`` the row changes (parent as a code)."""
    values = parsed.values
    wanted: dict[str, object] = {
        "name": values["name"],
        "short_name": values.get("short_name", ""),
        "kind": parsed.kind,
    }
    wanted.update({k: values.get(k, "") for k in LETTER_KEYS if k in sheet.headers})
    changes = {k: v for k, v in wanted.items() if getattr(agency, k) != v}
    current_parent = agency.parent.code if agency.parent else ""
    if parsed.parent != current_parent:
        changes["parent"] = parsed.parent
    return changes


def _parents_first(rows: list[AgencyRow]) -> list[AgencyRow]:
    by_code = {r.code: r for r in rows}
    ordered: list[AgencyRow] = []
    placed: set[str] = set()
    for parsed in rows:
        chain = []
        code = parsed.code
        while code in by_code and code not in placed:
            chain.append(by_code[code])
            placed.add(code)
            code = by_code[code].parent
        ordered.extend(reversed(chain))
    return ordered


# --- writing -------------------------------------------------------------------------


@transaction.atomic
def agencies_import(
    *, actor: User | None, data: bytes, filename: str
) -> AgencyImportResult:
    """Create and update the file's agencies, all rows or none.

    ``actor`` None is the operator at the command line (it may create the city);
    a signed-in coordinator changes only agencies in their subtree.
    """
    if actor is not None and not permissions.can_import_agencies(actor):
        raise PermissionDenied()
    sheet = read_sheet(data, filename, COLUMNS)
    rows = _Check.validate(sheet, actor=actor)
    result = AgencyImportResult()
    for parsed in _parents_first(rows):
        values = parsed.values
        parent = Agency.objects.get(code=parsed.parent) if parsed.parent else None
        agency = (
            Agency.objects.filter(code=parsed.code).select_related("parent").first()
        )
        if agency is None:
            result.created.append(
                services.agency_create(
                    actor=actor,
                    code=parsed.code,
                    name=values["name"],
                    short_name=values.get("short_name", ""),
                    kind=parsed.kind,
                    parent=parent,
                    **{k: values.get(k, "") for k in LETTER_KEYS},
                )
            )
            continue
        changes = _changes(parsed, agency, sheet)
        if not changes:
            result.unchanged += 1
            continue
        if "parent" in changes:
            changes["parent"] = parent
        result.updated.append(
            services.agency_update(actor=actor, agency=agency, **changes)
        )
    return result
