"""factory_boy factories that keep related objects consistent.

Agencies are created through the service so their tree paths are right; values
are computed per instance, never at import time.
"""

from __future__ import annotations

import factory

from django.contrib.auth import get_user_model

from portal.models import Agency, Membership, Role


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
    """Build an agency and place it under ``parent`` (a city when no parent)."""

    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"{310900000 + n}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    short_name = factory.LazyAttribute(lambda a: a.name[:8])
    kind = factory.LazyAttribute(
        lambda a: Agency.Kind.DISTRICT if a.parent else Agency.Kind.CITY
    )
    parent = None
    tree_path = "/"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        agency = model_class(*args, **kwargs)
        agency.save()
        parent = kwargs.get("parent")
        agency.tree_path = f"{parent.tree_path if parent else '/'}{agency.pk}/"
        agency.save(update_fields=["tree_path"])
        return agency


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.EDITOR
