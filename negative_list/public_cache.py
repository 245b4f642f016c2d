"""The negative lists' public pages in the shared page cache (portal.httpcache)."""

from __future__ import annotations

from portal import httpcache


def register() -> None:
    httpcache.register_public(
        *(
            f"negative_list:{name}"
            for name in ("index", "agency", "versions", "version", "diff")
        ),
        "negative_list:feed",
        "negative_list:feed_agency",
    )
    httpcache.register_public(
        *(
            f"negative_list:{name}"
            for name in (
                "api_index",
                "api_exemptions",
                "api_provisions",
                "api_agency",
                "api_versions",
                "api_version",
                "api_diff",
            )
        ),
        api=True,
    )
    # Entries, provisions, interpretation, list versions, review cycles.
    httpcache.register_public_verbs("negative_list.")
