"""API throttles: one rate for anonymous callers, one for signed-in staff.

DRF's ``UserRateThrottle`` falls back to the caller's address for anonymous
requests, so with ``AnonRateThrottle`` beside it every anonymous request was
counted twice (two cache reads and writes), and the staff rate capped the
public rate whatever ``API_ANON_RATE`` said.
"""

from __future__ import annotations

from rest_framework.throttling import UserRateThrottle


class StaffRateThrottle(UserRateThrottle):
    """``UserRateThrottle`` for signed-in users only; anonymous callers pass."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
