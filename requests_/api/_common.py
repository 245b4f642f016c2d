"""Output serializers shared by the API modules."""

from __future__ import annotations

from typing import Any

from portal.api_fields import SlugRelatedField


class TopicField(SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        from portal.models import Topic

        super().__init__(slug_field="code", queryset=Topic.objects.all(), **kwargs)
