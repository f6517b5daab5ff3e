from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from rammeaftale import roles


def navigation(request: HttpRequest) -> dict:
    """The header's menu: the start pages of the roles the user holds."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    if roles.is_secretariat(user):
        items += [
            (reverse("portal:dashboard"), _("Dashboard")),
            (reverse("portal:capacity_overview"), _("Capacity")),
            (reverse("admin:index"), _("Register")),
        ]
    if roles.is_municipality_staff(user) or roles.is_body_member(user):
        items.append((reverse("portal:municipality"), _("Municipality")))
    if roles.is_provider_leader(user):
        items += [
            (reverse("portal:leader"), _("My providers")),
            (reverse("portal:leader_calendar"), _("Calendar")),
        ]
    path = request.path
    return {
        "navigation": [
            {
                "url": url,
                "label": label,
                "current": path == url or (url != "/" and path.startswith(url)),
            }
            for url, label in items
        ]
    }
