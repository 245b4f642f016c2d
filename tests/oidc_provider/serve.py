"""Migrate, seed and serve the test identity provider on a free loopback port.

Run as ``python -m tests.oidc_provider.serve`` with OIDC_PROVIDER_DB (a SQLite
file), OIDC_PROVIDER_KEY (an RSA private key, PEM) and OIDC_PROVIDER_SEED (JSON:
``{"client": {"client_id", "client_secret", "redirect_uri"}, "users":
[{"username", "password"}]}``). Prints ``PORT <n>`` once it accepts requests.
"""

import json
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"


def main() -> None:
    import django

    django.setup()
    from oauth2_provider.models import Application
    from oauth2_provider.settings import oauth2_settings

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.servers.basehttp import (
        ThreadedWSGIServer,
        WSGIRequestHandler,
    )
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    seed = json.loads(os.environ["OIDC_PROVIDER_SEED"])
    for person in seed["users"]:
        get_user_model().objects.create_user(
            person["username"], password=person["password"]
        )
    client = seed["client"]
    Application.objects.create(
        name="政务公开平台",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    # The issuer is fixed, as a real provider's is, whatever host name a client
    # uses (a client that reaches it by another name must refuse the document).
    port = server.server_address[1]
    settings.OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"] = f"http://127.0.0.1:{port}/o"
    oauth2_settings.reload()
    print(f"PORT {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
