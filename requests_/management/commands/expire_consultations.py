"""Resume the requests whose consultation ran out unanswered (run daily).

A consulted third party or agency has 15 working days (第三十二条, 第三十四条).
When they pass with no answer, the request's clock resumes from the last day of
that term: another agency's silence is recorded as consent, a third party's
leaves the decision to the agency. The requests stay listed on the dashboard
("征求意见期限已过") until their handler replies.
"""

from __future__ import annotations

from portal.management.daily import DailyCommand
from requests_ import services


class Command(DailyCommand):
    help = "Resume requests whose consultation's 15 working days passed unanswered."

    def step(self, day):
        return services.consultations_expire(day)

    def line(self, record):
        return f"{record.tracking_code}: {record.get_consultation_result_display()}"

    def summary(self, day, done):
        return f"已恢复计时 {len(done)} 件。"
