"""Models of the requests app: requests, appeals, disclosures and their screen."""

from requests_.models.choices import *  # noqa: F403
from requests_.models.conversion import ConversionReview, ConversionReviewStatus
from requests_.models.disclosure import (
    Disclosure,
    DisclosureAttachment,
    IndexCounter,
    ScreeningHit,
)
from requests_.models.fee import FeeNotice, FeeScale, FeeStatus
from requests_.models.request import IDENTITY_FIELDS, Appeal, DisclosureRequest

__all__ = [
    "IDENTITY_FIELDS",
    "Appeal",
    "ConversionReview",
    "ConversionReviewStatus",
    "Disclosure",
    "DisclosureAttachment",
    "DisclosureRequest",
    "FeeNotice",
    "FeeScale",
    "FeeStatus",
    "IndexCounter",
    "ScreeningHit",
]
