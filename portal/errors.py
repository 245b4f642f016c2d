"""The one application error type.

Services raise ``DomainError`` with a stable ``code``; views turn it into a message,
the API into one JSON shape (see ``portal.api_errors``). Messages are module
constants so tests import them instead of repeating the wording.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PERMISSION_DENIED = _("您没有执行此操作的权限。")
INVALID_TRANSITION = _("当前状态下不能执行此操作。")
FOUR_EYES = _("不能审核自己起草或修改过的内容（四眼原则）。")
CONFLICT = _("该记录已被他人修改，请刷新后重试。")


class DomainError(Exception):
    """A use case refused: wrong state, missing right, broken rule.

    ``code`` is stable and machine-readable; ``field`` names the input at fault when
    there is one, so forms and the API can point at it.
    """

    status = 400

    def __init__(
        self, message: object, *, code: str = "invalid", field: str | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.field = field

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field:
            body["fields"] = {self.field: [self.message]}
        return body


class PermissionDenied(DomainError):
    """The actor may not do this here."""

    status = 403

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or PERMISSION_DENIED, code="permission_denied")


class InvalidTransition(DomainError):
    """The object is not in a state that allows the action."""

    status = 409

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or INVALID_TRANSITION, code="invalid_transition")


class Conflict(InvalidTransition):
    """The action was allowed in the state the caller saw, but someone changed the
    record meanwhile (two reviewers approving at once): say so, so they reload.

    A kind of ``InvalidTransition``: whoever handles that handles this too.
    """

    def __init__(self, message: str | None = None) -> None:
        DomainError.__init__(self, message or CONFLICT, code="conflict")


SEEN_STATUS = "_seen_status"


def error_lines(error: object) -> list[str]:
    """The problems a refusal lists one by one (an import's rows and columns), as
    the user reads them; none for any other refusal."""
    return [str(line) for line in getattr(error, "errors", None) or ()]


def remember_seen_status(locked: object, seen: object) -> None:
    """Note on a freshly locked row the status the caller acted on."""
    setattr(locked, SEEN_STATUS, getattr(seen, "status", None))


def changed_meanwhile(locked: object, allowed: object) -> bool:
    """Tell whether the caller saw an allowed status that has changed since.

    ``allowed`` is a predicate on a status. Used by the transition guards to raise
    ``Conflict`` instead of a bare ``InvalidTransition`` after a lost race.
    """
    seen = getattr(locked, SEEN_STATUS, None)
    current = getattr(locked, "status", None)
    return seen is not None and seen != current and bool(allowed(seen))


class FourEyesViolation(DomainError):
    """A reviewer tried to approve their own work."""

    status = 403

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or FOUR_EYES, code="four_eyes")
