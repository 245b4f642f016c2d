"""A tiny OpenID Connect provider (django-oauth-toolkit) for the sign-on tests.

It runs as its own process (``python -m tests.oidc_provider.serve``) with its own
settings and SQLite file, so the portal talks to it over HTTP exactly as it would
talk to a city's identity platform.
"""
