"""Texts of django-axes' admin pages, listed for the Danish catalogue.

django-axes ships no Danish translation; these message ids are the ones its
models and admin use where the secretariat unlocks an account, so
`makemessages` keeps them in locale/da. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

TEXTS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Failed Logins"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Logout Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
]
