from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from tariffs.permissions import takstgruppe_member


def navigation(request: HttpRequest) -> dict:
    """The header's menu: the start pages of the roles the user holds."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    if roles.is_secretariat(user):
        items += [
            (reverse("portal:dashboard"), _("Dashboard")),
            (reverse("capacity:overview"), _("Adjustments")),
            (reverse("meetings:calendar"), _("Meetings")),
            (reverse("contracts:contract_list"), _("Contracts")),
            (reverse("portal:capacity_overview"), _("Capacity")),
            (reverse("tariffs:rounds"), _("Tariffs")),
            (reverse("hearings:list"), _("Hearings")),
            (reverse("accounts:users"), _("Users")),
            (reverse("admin:index"), _("Register")),
        ]
    if roles.is_municipality_staff(user) or roles.is_body_member(user):
        items.append((reverse("portal:municipality"), _("Municipality")))
        if roles.is_body_member(user) and not roles.is_secretariat(user):
            items.append((reverse("meetings:calendar"), _("Meetings")))
        if roles.is_municipality_staff(user):
            items.append((reverse("contracts:contract_list"), _("Contracts")))
            items.append((reverse("tariffs:mine"), _("Tariffs")))
            items.append((reverse("hearings:mine"), _("Hearings")))
        elif takstgruppe_member(user):
            items.append((reverse("tariffs:rounds"), _("Tariffs")))
    if roles.is_provider_leader(user):
        items += [
            (reverse("portal:leader"), _("My providers")),
            (reverse("portal:leader_calendar"), _("Calendar")),
        ]
        if not roles.is_municipality_staff(user):
            items.append((reverse("tariffs:mine"), _("Tariffs")))
    # The current item is the one whose address is the longest start of the path.
    matches = [url for url, _label in items if request.path.startswith(url)]
    current = max(matches, key=len) if matches else None
    return {
        "navigation": [
            {"url": url, "label": label, "current": url == current} for url, label in items
        ]
    }
