"""Every state change of the requests app.

Views, the API, the management commands and the demo seeder all call these.
"""

from requests_.services.appeals import appeal_decide, appeal_record
from requests_.services.conversion import (
    conversion_amend,
    conversion_decide,
    conversion_review_approve,
    conversion_review_return,
)
from requests_.services.disclosures import (
    disclosure_approve,
    disclosure_attachment_add,
    disclosure_attachment_remove,
    disclosure_return,
    disclosure_submit,
    disclosure_update,
    disclosure_withdraw,
    next_index_no,
)
from requests_.services.fees import (
    fee_lapse,
    fee_notify,
    fee_record_payment,
    fee_waive,
    fees_lapse,
)
from requests_.services.intake import (
    Registered,
    request_register,
    request_submit_online,
    secret_matches,
)
from requests_.services.outcomes import request_mark_repeat
from requests_.services.screen import screen_hit_accept, screen_hit_mask, screen_rerun
from requests_.services.workflow import (
    consultations_expire,
    request_accept,
    request_close,
    request_confirm_receipt,
    request_consultation_end,
    request_consultation_run_out,
    request_consultation_start,
    request_correction_receive,
    request_correction_request,
    request_extension_approve,
    request_lapse,
    request_reply,
    request_withdraw,
)

__all__ = [
    "Registered",
    "appeal_decide",
    "appeal_record",
    "consultations_expire",
    "conversion_amend",
    "conversion_decide",
    "conversion_review_approve",
    "conversion_review_return",
    "disclosure_approve",
    "disclosure_attachment_add",
    "disclosure_attachment_remove",
    "disclosure_return",
    "disclosure_submit",
    "disclosure_update",
    "disclosure_withdraw",
    "fee_lapse",
    "fee_notify",
    "fee_record_payment",
    "fee_waive",
    "fees_lapse",
    "next_index_no",
    "request_accept",
    "request_close",
    "request_confirm_receipt",
    "request_consultation_end",
    "request_consultation_run_out",
    "request_consultation_start",
    "request_correction_receive",
    "request_correction_request",
    "request_extension_approve",
    "request_lapse",
    "request_mark_repeat",
    "request_register",
    "request_reply",
    "request_submit_online",
    "request_withdraw",
    "screen_hit_accept",
    "screen_hit_mask",
    "screen_rerun",
    "secret_matches",
]
