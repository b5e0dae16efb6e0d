"""Strings of third-party apps on the admin's Russian pages that their own catalogues leave in English.

Our catalogue (LOCALE_PATHS) is read before an app's, so the Russian given here wins; naming the
strings here keeps `makemessages` from dropping them. core/tests/test_russian_pages.py finds new ones.
"""

from django.utils.translation import gettext_noop

STRINGS = [
    # django-axes (the login lockout's admin): a list filter, column headers, the lockout message.
    gettext_noop("Locked Out"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
]
