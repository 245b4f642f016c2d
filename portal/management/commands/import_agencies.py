"""manage.py import_agencies PATH | --template PATH"""

from __future__ import annotations

from typing import Any

from portal.imports import AgencyImportResult, agencies_import
from portal.imports.agencies import COLUMNS
from portal.imports.command import SheetImportCommand


class Command(SheetImportCommand):
    help = (
        "Create and update agencies from an XLSX or CSV file (columns 机构代码, 名称, "
        "简称, 类型, 上级机构代码, 发文字号前缀, 行政复议机关, 行政诉讼管辖法院). "
        "The whole file is validated first; nothing changes if any row is wrong. "
        "Re-importing updates agencies in place by their code."
    )
    columns = COLUMNS
    template_name = "agencies"

    def run_import(
        self, data: bytes, filename: str, options: dict[str, Any]
    ) -> AgencyImportResult:
        return agencies_import(actor=None, data=data, filename=filename)

    def report(self, result: AgencyImportResult, options: dict[str, Any]) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"新建 {len(result.created)} 个机构，更新 {len(result.updated)} 个，"
                f"未变 {result.unchanged} 个。"
            )
        )
