"""Every state change of the negative-list app (one module per area)."""

from negative_list.services.catalogue import provision_save
from negative_list.services.entries import (
    EntryContent,
    entry_amend,
    entry_approve,
    entry_create,
    entry_return,
    entry_submit,
    entry_update,
)
from negative_list.services.imports import entries_import
from negative_list.services.lists import (
    interpretation_update,
    list_version_publish,
    sanitize_html,
)
from negative_list.services.reviews import (
    review_cycle_close,
    review_cycle_close_refusal,
    review_cycle_open,
    review_task_record,
)
from negative_list.services.workflow import ENTRY_TRANSITIONS, Action

__all__ = [
    "ENTRY_TRANSITIONS",
    "Action",
    "EntryContent",
    "entries_import",
    "entry_amend",
    "entry_approve",
    "entry_create",
    "entry_return",
    "entry_submit",
    "entry_update",
    "interpretation_update",
    "list_version_publish",
    "provision_save",
    "review_cycle_close",
    "review_cycle_close_refusal",
    "review_cycle_open",
    "review_task_record",
    "sanitize_html",
]
