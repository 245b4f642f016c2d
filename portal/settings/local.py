"""Settings for a developer's machine and the `make run` demo.

DEBUG stays off unless DJANGO_DEBUG asks for it; the secret key is a fixed,
clearly insecure development value that production refuses.
"""

from .base import *  # noqa: F403
from .base import VAR_DIR, env, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY", "django-insecure-local-development-only-key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# A development key so encrypted applicant fields work out of the box. Never used in
# production, where GONGKAI_FIELD_KEYS must be given.
GONGKAI_FIELD_KEYS = env_list(
    "GONGKAI_FIELD_KEYS", ["P2QbwhQSpVjwyANBLA6DyKhq_P1H10HfeJKmvRppBVA="]
)

# WhiteNoise serves from the finders here; the (empty) root only has to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Nothing leaves the machine: every e-mail is written as a file under var/mail/
# (one .log file per connection, each message in full). DJANGO_EMAIL_BACKEND
# names another backend, e.g. SMTP with the DJANGO_EMAIL_* variables.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
