"""The information-processing fee (信息处理费) as pure rules, and its selector.

The source is 国办函〔2020〕109号《政府信息公开信息处理费管理办法》:

- 第三条: a fee is charged per item (按件计收) or per volume (按量计收), both
  progressively on the excess (超额累进); one request uses one scale, never both.
- 第四条 (per item): counting one applicant's requests in one natural month, the
  10th and below are free; the part from the 11th to the 30th costs 100 元 each;
  from the 31st on, every band of 10 raises the price by 100 元 each (31st–40th
  200 元, 41st–50th 300 元 …). One request asking for several things may be
  split into items (“一事一申请”), so one request may count as several items.
- 第五条 (per volume, pages or their electronic equivalent): up to 30 pages free;
  the part from page 31 to 100 at 10 元, 101 to 200 at 20 元, above 200 at 40 元
  a page. "The part" (的部分) makes the bands marginal: 201 pages cost
  70 × 10 + 100 × 20 + 1 × 40 = 2 740 元.
- 第六条: the notice states basis, scale, amount and how to pay; the applicant pays
  within 20 working days from the day after receiving it; unpaid in time counts as
  giving up the request; the time from notice to payment is not counted in the
  reply term.

The functions here know nothing of the database except ``pending_fee_notices``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from portal.calendar import Deadline, WorkingCalendar, default_calendar

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from requests_.models import DisclosureRequest, FeeNotice

# 第四条: the free items, the end of the first paid band, its price, and the size
# and step of every band after it.
FREE_ITEMS = 10
FIRST_BAND_END = 30
FIRST_BAND_PRICE = 100
BAND_SIZE = 10
BAND_STEP = 100
# 第五条: (last page of the band, price per page); the last band is open.
FREE_PAGES = 30
PAGE_BANDS: tuple[tuple[int | None, int], ...] = ((100, 10), (200, 20), (None, 40))
# 第六条: working days to pay, counted from the day after the notice is received.
PAY_DAYS = 20

BASIS = _("《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）")


def item_price(position: int) -> int:
    """Return the price in 元 of the applicant's ``position``-th item of a month."""
    if position < 1:
        raise ValueError("position counts from 1")
    if position <= FREE_ITEMS:
        return 0
    if position <= FIRST_BAND_END:
        return FIRST_BAND_PRICE
    band = (position - FIRST_BAND_END - 1) // BAND_SIZE + 1
    return FIRST_BAND_PRICE + band * BAND_STEP


def per_item_fee(earlier: int, items: int = 1) -> int:
    """Return the fee in 元 for ``items`` items after ``earlier`` in the month."""
    if earlier < 0 or items < 1:
        raise ValueError("earlier must be >= 0 and items >= 1")
    return sum(item_price(n) for n in range(earlier + 1, earlier + items + 1))


def per_volume_fee(pages: int) -> int:
    """Return the fee in 元 for one request of ``pages`` pages (bands marginal)."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    fee = 0
    lower = FREE_PAGES
    for upper, price in PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            fee += (top - lower) * price
        if upper is None or pages <= upper:
            break
        lower = upper
    return fee


def pay_by(notified_on: dt.date, calendar: WorkingCalendar | None = None) -> Deadline:
    """Return the payment deadline: 20 working days after the notice is received."""
    return (calendar or default_calendar()).deadline(notified_on, PAY_DAYS)


def as_amount(yuan: int) -> Decimal:
    return Decimal(yuan).quantize(Decimal("0.01"))


# --- Who the applicant is, without reading it ------------------------------------


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def applicant_key(applicant_type: str, name: str, id_number: str = "") -> str:
    """Return the keyed hash that names one applicant across requests.

    The identity document number decides when there is one, otherwise the type and
    the name. Keyed with ``SECRET_KEY`` (HMAC-SHA256, its own salt) so that the
    column cannot be reversed by hashing every possible ID number; the fee count
    and the repeat-request check compare it instead of decrypting identities.
    """
    number = _normalise(id_number)
    value = f"id:{number}" if number else f"name:{applicant_type}:{_normalise(name)}"
    return salted_hmac("requests_.applicant_key", value, algorithm="sha256").hexdigest()


# --- Selector ---------------------------------------------------------------------


def pending_fee_notices(
    requests: QuerySet[DisclosureRequest],
) -> QuerySet[FeeNotice]:
    """Return the fee notices of ``requests`` still awaiting payment.

    Pass a queryset already scoped to the viewer (e.g. ``readable_requests_qs``);
    the notices come soonest ``pay_by`` first, with request and agency joined.
    """
    from requests_.models import FeeNotice, FeeStatus, RequestStatus

    # A request withdrawn while awaiting payment leaves its notice pending: it is
    # no longer anyone's work.
    return (
        FeeNotice.objects.filter(
            status=FeeStatus.PENDING,
            request__in=requests,
            request__status=RequestStatus.FEE_PENDING,
        )
        .select_related("request", "request__agency")
        .order_by("pay_by", "id")
    )
