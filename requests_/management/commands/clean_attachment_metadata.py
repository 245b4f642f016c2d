"""Remove the metadata of disclosure attachments stored before files were cleaned.

Attachments uploaded since are cleaned on upload; this repeats the step of the
``requests_`` migration 0003 for any file still marked uncleaned (a restored
backup, a file the migration could not read) and lists those it cannot clean.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from requests_.metadata import clean_stored_attachment
from requests_.models import DisclosureAttachment


class Command(BaseCommand):
    help = "Remove the metadata of attachments stored before cleaning existed."

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        cleaned = 0
        for attachment in DisclosureAttachment.objects.filter(
            metadata_removed=False
        ).select_related("disclosure"):
            reason = clean_stored_attachment(attachment)
            if reason:
                failed += 1
                self.stderr.write(
                    f"{attachment.disclosure.index_no} #{attachment.pk} "
                    f"{attachment.original_name}: {reason}"
                )
            else:
                cleaned += 1
        self.stdout.write(f"已去除{cleaned}个附件的元数据。")
        if failed:
            raise CommandError(
                f"{failed}个附件无法去除元数据，其所属信息不能发布，公开下载已停止。"
            )
