"""manage.py import_staff PATH [--end-missing] [--send-password-links --site-url URL]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.errors import DomainError
from portal.imports import ImportInvalid, staff_import
from portal.imports.password_links import send_password_links
from portal.imports.staff import COLUMNS
from portal.imports.templates import template_xlsx


class Command(BaseCommand):
    help = (
        "Create staff accounts (without passwords) and grant roles from an XLSX or "
        "CSV file (columns 用户名, 姓名, 电子邮箱, 机构代码, 角色). The whole file is "
        "validated first; nothing changes if any row is wrong. Nobody is deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?")
        parser.add_argument(
            "--template",
            type=Path,
            metavar="PATH",
            help="Write an empty XLSX template (with the columns explained) to PATH.",
        )
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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"]:
            options["template"].write_bytes(template_xlsx(COLUMNS, "staff"))
            self.stdout.write(f"已写出模板：{options['template']}")
            return
        path: Path | None = options["path"]
        if path is None or not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["send_password_links"] and not options["site_url"]:
            raise CommandError("--send-password-links needs --site-url https://…")
        try:
            result = staff_import(
                actor=None,
                data=path.read_bytes(),
                filename=path.name,
                end_missing=options["end_missing"],
            )
        except ImportInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
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
