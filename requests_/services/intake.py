"""Intake: staff registration by channel, and the public online form."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, Unpack

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import validation
from portal.errors import DomainError, PermissionDenied
from portal.models import Agency
from requests_ import clock, permissions
from requests_.fees import applicant_key
from requests_.models import (
    ApplicantType,
    Channel,
    DisclosureRequest,
    FormWanted,
    RequestStatus,
)
from requests_.services._common import (
    not_in_future,
    record,
    require,
    today,
    validation_to_domain,
)

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 10

NAME_REQUIRED = _("请填写申请人姓名或名称。")
ID_REQUIRED = _("自然人申请须填写身份证件号码。")
CONTACT_REQUIRED = _("请至少填写一种联系方式（电话、电子邮箱或通信地址）。")
TITLE_REQUIRED = _("请填写所需政府信息的名称。")
DESCRIPTION_REQUIRED = _("请描述所需政府信息（名称、文号或便于查询的其他特征）。")
RECEIVED_IN_FUTURE = _("收到申请日期不能晚于今天。")
ONLINE_ONLY_PUBLIC = _("网上申请由申请人在线提交，工作人员请选择实际收到申请的方式。")
AGENCY_INACTIVE = _("该机关目前不接受申请。")
RECEIVED_BEFORE_REGULATION = _(
    "收到申请日期不能早于 2008年5月1日（《政府信息公开条例》施行之日）。"
)
# The Regulation took effect on this day; no request was received before it.
REGULATION_IN_FORCE = dt.date(2008, 5, 1)
# Upper bounds of every free-text input of a request (portal.validation), shared by
# the forms, the API serializers (and so the API schema) and the checks below.
TEXT_LIMITS = validation.TEXT_LIMITS["request"]


def check_lengths(**texts: str) -> None:
    """Refuse a text longer than its limit in TEXT_LIMITS, naming the field."""
    validation.check_lengths("request", texts)


@dataclass(frozen=True)
class Registered:
    """A new request and the secret of its status link, shown exactly once."""

    request: DisclosureRequest
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(request: DisclosureRequest, secret: str) -> bool:
    """Compare in constant time, so the link cannot be guessed byte by byte."""
    return hmac.compare_digest(request.secret_hash, hash_secret(secret or ""))


def _tracking_code() -> str:
    while True:
        code = "".join(
            secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH)
        )
        if not DisclosureRequest.objects.filter(tracking_code=code).exists():
            return code


def _clean_identity(
    applicant_type: str,
    name: str,
    id_number: str,
    phone: str,
    email: str,
    address: str,
) -> dict[str, str]:
    from requests_.screening import validate_phone, validate_resident_id

    require(name, NAME_REQUIRED, "applicant_name")
    # Before the validators, so no pattern ever runs over megabytes of input.
    check_lengths(
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        applicant_email=email,
        applicant_address=address,
    )
    id_number = (id_number or "").strip()
    if applicant_type == ApplicantType.NATURAL_PERSON:
        require(id_number, ID_REQUIRED, "applicant_id_number")
        try:
            id_number = validate_resident_id(id_number)
        except ValidationError as exc:
            raise validation_to_domain(exc, "applicant_id_number") from exc
    phone = (phone or "").strip()
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            raise validation_to_domain(exc, "applicant_phone") from exc
    if not (phone or (email or "").strip() or (address or "").strip()):
        raise DomainError(CONTACT_REQUIRED, code="required", field="applicant_phone")
    return {
        "applicant_name": name.strip(),
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "applicant_email": (email or "").strip(),
        "applicant_address": (address or "").strip(),
    }


class Application(TypedDict):
    """What an applicant fills in, through whichever door the request comes."""

    applicant_type: str
    applicant_name: str
    title: str
    description: str
    applicant_id_number: NotRequired[str]
    applicant_phone: NotRequired[str]
    applicant_email: NotRequired[str]
    applicant_address: NotRequired[str]
    document_hint: NotRequired[str]
    form_wanted: NotRequired[str]


def _create(
    *,
    actor: Any,
    agency: Agency,
    channel: str,
    received_on: dt.date | None,
    applicant_type: str,
    applicant_name: str,
    title: str,
    description: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    document_hint: str = "",
    form_wanted: str = FormWanted.ELECTRONIC,
) -> Registered:
    identity = _clean_identity(
        applicant_type,
        applicant_name,
        applicant_id_number,
        applicant_phone,
        applicant_email,
        applicant_address,
    )
    require(title, TITLE_REQUIRED, "title")
    require(description, DESCRIPTION_REQUIRED, "description")
    check_lengths(
        title=title, description=description, document_hint=document_hint, **identity
    )
    if not agency.is_active:
        raise DomainError(AGENCY_INACTIVE, code="agency_inactive", field="agency")
    secret = secrets.token_urlsafe(24)
    request = DisclosureRequest(
        agency=agency,
        tracking_code=_tracking_code(),
        secret_hash=hash_secret(secret),
        channel=channel,
        received_on=received_on,
        submitted_on=None if received_on else today(),
        status=RequestStatus.RECEIVED if received_on else RequestStatus.SUBMITTED,
        applicant_type=applicant_type,
        title=title.strip(),
        description=description.strip(),
        document_hint=document_hint.strip(),
        form_wanted=form_wanted,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        handler=actor if getattr(actor, "is_authenticated", False) else None,
        applicant_key=applicant_key(
            applicant_type,
            identity["applicant_name"],
            identity["applicant_id_number"],
        ),
        **identity,
    )
    if received_on is not None:
        clock.start(request)
    request.save()
    record(actor=actor, verb="request.register", obj=request)
    return Registered(request, secret)


@transaction.atomic
def request_register(
    *,
    actor: Any,
    agency: Agency,
    channel: str,
    received_on: dt.date,
    **application: Unpack[Application],
) -> Registered:
    """Register a request received in person, by post, fax or e-mail.

    ``received_on`` follows 第三十一条: the day handed in, the day registered post
    was signed for, the day a fax or e-mail was confirmed by both sides.
    """
    if not permissions.can_register_request(actor, agency):
        raise PermissionDenied()
    if channel == Channel.ONLINE:
        raise DomainError(ONLINE_ONLY_PUBLIC, code="channel", field="channel")
    not_in_future(received_on, RECEIVED_IN_FUTURE, "received_on")
    if received_on < REGULATION_IN_FORCE:
        raise DomainError(
            RECEIVED_BEFORE_REGULATION, code="date_out_of_range", field="received_on"
        )
    return _create(
        actor=actor,
        agency=agency,
        channel=channel,
        received_on=received_on,
        **application,
    )


@transaction.atomic
def request_submit_online(
    *, agency: Agency, **application: Unpack[Application]
) -> Registered:
    """Take a request from the public online form, submitted today.

    It is not yet received: 第三十一条 dates an online request on the day both
    sides confirm it, so it waits, with no clock, until the agency confirms it
    (``workflow.request_confirm_receipt``). The online form is the only door with
    no account, so the applicant gets a tracking code and a secret link instead
    of a login.
    """
    return _create(
        actor=AnonymousUser(),
        agency=agency,
        channel=Channel.ONLINE,
        received_on=None,
        **application,
    )
