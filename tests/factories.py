"""factory_boy factories that keep related objects consistent.

Agencies are created through the service so their tree paths are right; values
are computed per instance, never at import time.
"""

from __future__ import annotations

import inspect

import factory

from django.contrib.auth import get_user_model

from portal import services
from portal.models import Agency, Membership, Role

# The superuser who founds the factories' agencies: the matrix's own.
FOUNDER = "superuser"
CREATE_ARGUMENTS = frozenset(inspect.signature(services.agency_create).parameters)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    """Create an agency through ``agency_create`` (a city when no parent).

    The service places it in the tree and records its creation, acting as the
    superuser the actor matrix also uses (a root agency needs one).
    """

    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"{310900000 + n}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    short_name = factory.LazyAttribute(lambda a: a.name[:8])
    kind = factory.LazyAttribute(
        lambda a: Agency.Kind.DISTRICT if a.parent else Agency.Kind.CITY
    )
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        founder = UserFactory(username=FOUNDER, is_superuser=True, is_staff=True)
        created = {k: v for k, v in kwargs.items() if k in CREATE_ARGUMENTS}
        agency = services.agency_create(actor=founder, **created)
        changes = {k: v for k, v in kwargs.items() if k not in CREATE_ARGUMENTS}
        if changes:  # e.g. is_active=False: what only an update may set
            agency = services.agency_update(actor=founder, agency=agency, **changes)
        return agency


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.EDITOR
