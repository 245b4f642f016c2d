"""The catalogue of cited provisions, kept by the disclosure office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from negative_list import permissions
from negative_list.models import Exemption, Provision
from portal import audit
from portal.calendar import LAST_SUPPORTED_DATE
from portal.errors import DomainError, PermissionDenied
from portal.validation import check_date_bounds, check_lengths

LAW_REQUIRED = _("请填写法律法规名称，例如《中华人民共和国政府信息公开条例》。")
PROVISION_EXISTS = _("目录中已有这一条款。")
REPEALED_BEFORE_IN_FORCE = _("废止日期不能早于施行日期。")

FIELDS = ("law", "article", "text", "in_force_from", "repealed_on")
# The catalogue cites laws in force since the founding of the People's Republic
# (the Secrecy Law dates from 1988), so its dates reach back further than the
# calendar's; the bound keeps 0001-01-01 or 9999-12-31 out all the same.
FIRST_LAW_DATE = dt.date(1949, 10, 1)
LAW_DATES = (FIRST_LAW_DATE, LAST_SUPPORTED_DATE)


def _normalise_law(law: str) -> str:
    law = law.strip()
    if law and not law.startswith("《"):
        law = f"《{law}》"
    return law


@transaction.atomic
def provision_save(
    *,
    actor: User,
    provision: Provision | None = None,
    law: str,
    article: str = "",
    text: str = "",
    in_force_from: dt.date | None = None,
    repealed_on: dt.date | None = None,
    exemptions: Iterable[Exemption] = (),
) -> Provision:
    """Add a provision to the catalogue, or change one (e.g. mark it repealed)."""
    if not permissions.can_manage_provisions(actor):
        raise PermissionDenied()
    check_lengths("provision", law=law, article=article, text=text)
    check_date_bounds(*LAW_DATES, in_force_from=in_force_from, repealed_on=repealed_on)
    law = _normalise_law(law)
    if not law:
        raise DomainError(LAW_REQUIRED, code="law_required", field="law")
    if repealed_on and in_force_from and repealed_on < in_force_from:
        raise DomainError(REPEALED_BEFORE_IN_FORCE, code="invalid", field="repealed_on")
    duplicate = Provision.objects.filter(law=law, article=article.strip())
    if provision is not None:
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        duplicate = duplicate.exclude(pk=provision.pk)
    if duplicate.exists():
        raise DomainError(PROVISION_EXISTS, code="provision_exists", field="article")
    provision = provision or Provision()
    before = audit.snapshot(provision, FIELDS) if provision.pk else {}
    provision.law = law
    provision.article = article.strip()
    provision.text = text.strip()
    provision.in_force_from = in_force_from
    provision.repealed_on = repealed_on
    provision.save()
    provision.exemptions.set(exemptions)
    audit.record_change(
        actor=actor,
        verb="negative_list.provision.save",
        obj=provision,
        before=before,
        after=audit.snapshot(provision, FIELDS),
        extra={"exemptions": sorted(e.code for e in provision.exemptions.all())},
    )
    return provision
