"""manage.py import_staff PATH [--end-missing] [--send-password-links --site-url URL]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from portal.imports import StaffImportResult, staff_import
from portal.imports.command import SheetImportCommand
from portal.imports.password_links import send_password_links
from portal.imports.staff import COLUMNS


class Command(SheetImportCommand):
    help = (
        "Create staff accounts (without passwords) and grant roles from an XLSX or "
        "CSV file (columns 用户名, 姓名, 电子邮箱, 机构代码, 角色). The whole file is "
        "validated first; nothing changes if any row is wrong. Nobody is deleted."
    )
    columns = COLUMNS
    template_name = "staff"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--end-missing",
            action="store_true",
            help="End the roles at the file's agencies that the file no longer lists.",
        )
        parser.add_argument(
            "--send-password-links",
            action="store_true",
            help="E-mail each new account a link to set its password.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="The portal's public address for the links (https://…).",
        )

    def check_options(self, options: dict[str, Any]) -> None:
        if options["send_password_links"] and not options["site_url"]:
            raise CommandError("--send-password-links needs --site-url https://…")

    def run_import(
        self, data: bytes, filename: str, options: dict[str, Any]
    ) -> StaffImportResult:
        return staff_import(
            actor=None,
            data=data,
            filename=filename,
            end_missing=options["end_missing"],
        )

    def report(self, result: StaffImportResult, options: dict[str, Any]) -> None:
        for ended in result.ended:
            self.stdout.write(f"已结束：{ended}")
        self.stdout.write(
            self.style.SUCCESS(
                f"新建 {len(result.created)} 人，更新 {len(result.updated)} 人，"
                f"分配 {len(result.granted)} 个角色，结束 {len(result.ended)} 个角色。"
            )
        )
        if options["send_password_links"]:
            sent = send_password_links(result.created, site_url=options["site_url"])
            self.stdout.write(f"已发送设置密码链接 {sent} 封。")
