"""Output serializers shared by the API modules."""

from __future__ import annotations

from typing import Any

from portal.api_fields import SlugRelatedField
from requests_.models import Disclosure


def disclosure_public_data(disclosure: Disclosure, request: Any) -> dict[str, Any]:
    """Return what anyone may read about a public disclosure."""
    from django.urls import reverse

    topic = disclosure.topic
    return {
        "index_no": disclosure.index_no,
        "title": disclosure.title,
        "agency": {"code": disclosure.agency.code, "name": disclosure.agency.name},
        "topic": {"code": topic.code, "name": topic.full_name} if topic else None,
        "doc_no": disclosure.doc_no,
        "written_on": disclosure.written_on,
        "published_at": disclosure.publish_at,
        "keywords": disclosure.keyword_list,
        "summary": disclosure.summary,
        "body": disclosure.body,
        "is_valid": disclosure.is_valid,
        "attachments": [
            {
                "name": a.original_name,
                "size": a.size,
                "url": request.build_absolute_uri(
                    reverse(
                        "requests_:disclosure_attachment",
                        args=[disclosure.index_no, a.pk],
                    )
                ),
            }
            for a in disclosure.attachments.all()
        ],
        "url": request.build_absolute_uri(
            reverse("requests_:disclosure_public", args=[disclosure.index_no])
        ),
    }


class TopicField(SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        from portal.models import Topic

        super().__init__(slug_field="code", queryset=Topic.objects.all(), **kwargs)
