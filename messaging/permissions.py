"""Who may see and act on messages: predicates and scopers.

A message about a request is the business of the staff who handle that request
(its agency's editors, and the city-wide roles above): they see it when it
failed and may queue it again. Nobody reads a message's address or body through
the workspace; the outbox is not a mailbox. A person's digest preference is
their own.
"""

from __future__ import annotations

from django.db.models import QuerySet

from messaging.models import Message
from portal.models import Role
from portal.permissions import AnyUser, agencies_with_role, has_role

ACTING_ROLES = (Role.EDITOR, Role.COORDINATOR)


def actionable_messages_qs(user: AnyUser | None) -> QuerySet[Message]:
    """Return the request messages ``user`` may act on (retry a failed one)."""
    return Message.objects.filter(
        request__agency__in=agencies_with_role(user, *ACTING_ROLES)
    )


def visible_messages_qs(user: AnyUser | None) -> QuerySet[Message]:
    """Return the request messages of every request ``user`` may read."""
    from requests_.permissions import readable_requests_qs

    return Message.objects.filter(request__in=readable_requests_qs(user))


def can_retry_message(user: AnyUser | None, message: Message) -> bool:
    if message.request_id is None:
        return False
    return has_role(user, message.request.agency, *ACTING_ROLES)


def can_set_digest_preference(user: AnyUser | None) -> bool:
    """Every signed-in person decides about their own digest, and only theirs."""
    return bool(user is not None and user.is_authenticated and user.is_active)
