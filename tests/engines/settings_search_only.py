"""Test settings with the search app and without the apps that publish.

``tests/search/test_search_only.py`` runs the contract suite's embedded half and
``tests/engines/search_only_app.py`` under these settings, to show that search
needs only the core (``portal``) and whatever document sources are registered.
"""

from portal.settings.test import *  # noqa: F403
from portal.settings.test import INSTALLED_APPS, SPECTACULAR_SETTINGS

# letters and messaging build on requests_ (their rows belong to a request).
PUBLISHING_APPS = ("negative_list", "requests_", "letters", "messaging")

INSTALLED_APPS = [
    app for app in INSTALLED_APPS if app.split(".")[0] not in PUBLISHING_APPS
]
ROOT_URLCONF = "tests.engines.urls_search_only"
# The shared enum names point at negative-list models, which are absent here.
SPECTACULAR_SETTINGS = {
    key: value
    for key, value in SPECTACULAR_SETTINGS.items()
    if key != "ENUM_NAME_OVERRIDES"
}
