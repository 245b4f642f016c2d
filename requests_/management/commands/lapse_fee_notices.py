"""Lapse the fee notices whose payment window passed unpaid (run daily).

国办函〔2020〕109号 第六条: the applicant pays within 20 working days from the day
after receiving the notice; unpaid in time, the request counts as given up. The
request's clock restarts from the last day of the window and its handler may
then reply （六）2.
"""

from __future__ import annotations

from portal.management.daily import DailyCommand
from requests_ import services


class Command(DailyCommand):
    help = "Lapse fee notices whose 20 working days to pay passed unpaid."

    def step(self, day):
        return services.fees_lapse(day)

    def line(self, record):
        return f"{record.request.tracking_code}: {record.pay_by.isoformat()}"

    def summary(self, day, done):
        return f"收费通知逾期 {len(done)} 件。"
