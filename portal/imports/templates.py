"""The downloadable templates: a header row to fill in, and a sheet explaining it."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from portal.imports.common import Column

EXAMPLES = {
    "agencies": [
        ["310000000", "上海市人民政府", "市政府", "市政府", "", "沪府信公开", "", ""],
        [
            "310101000",
            "上海市黄浦区人民政府",
            "黄浦区",
            "区政府",
            "310000000",
            "黄府信公开",
            "上海市人民政府",
            "上海市黄浦区人民法院",
        ],
    ],
    "staff": [
        ["zhangsan", "张三", "zhangsan@huangpu.gov.cn", "310101000", "编辑、审核人"],
    ],
}


def template_xlsx(columns: tuple[Column, ...], kind: str) -> bytes:
    """Return an XLSX: sheet 1 the header row (and examples), sheet 2 the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("导入")
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, _column in enumerate(columns, start=1):
        sheet.column_dimensions[chr(64 + index)].width = 22
    # Examples go on the help sheet, never on the import sheet: a template
    # uploaded as downloaded must not create a sample agency.
    help_sheet = workbook.create_sheet(_("填写说明"))
    help_sheet.append([_("列"), _("是否必填"), _("说明"), _("也可写作")])
    for column in columns:
        help_sheet.append(
            [
                column.header,
                _("必填列") if column.required else _("选填列"),
                column.help,
                "、".join((column.key, *column.aliases)),
            ]
        )
    help_sheet.append([])
    help_sheet.append([_("示例（复制到“导入”表的第 2 行起）")])
    help_sheet.append([c.header for c in columns])
    for example in EXAMPLES.get(kind, []):
        help_sheet.append(example)
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 70
    help_sheet.column_dimensions["D"].width = 30
    for row in help_sheet.iter_rows(min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
