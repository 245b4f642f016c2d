"""Settings for a developer's machine and the `make run` demo.

DEBUG stays off unless DJANGO_DEBUG asks for it; the secret key is a fixed,
clearly insecure development value that production refuses.
"""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

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
