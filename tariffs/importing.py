"""Calculation bases from a spreadsheet: the operator downloads a template
with a row per offer in the open rounds, fills in the numbers and uploads it.

The file is read by the register import's safe reader (size and row limits,
XLSX through defusedxml); each row goes through `services.basis_save`, all or
nothing: one bad row and nothing is written, every bad row named.
"""

import tablib
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from providers.models import Offer
from register_io.services import ImportRefused, parse_danish_decimal, read_dataset
from tariffs import services
from tariffs.models import CalculationBasis, OccupancyKind, TariffError

AMOUNTS = CalculationBasis.AMOUNT_FIELDS
INTEGERS = ["approved_places", "opening_days", "regulation_from_year"]
# The numbers of a basis; the unit and the reason for a rise are entered on its page.
COLUMNS = [
    name for name in CalculationBasis.INPUT_FIELDS if name not in ("unit", "increase_reason")
]


def headers() -> dict[str, str]:
    """{Danish header: field name}; the offer and the year come first."""
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            _("Offer"): "offer",
            _("Tilbudsportalen id"): "tilbudsportalen_id",
            _("Year"): "year",
        }
        for name in COLUMNS:
            names[str(capfirst(CalculationBasis._meta.get_field(name).verbose_name))] = name
    return names


def template(offers_and_years) -> tablib.Dataset:
    """A sheet with the headers and one row per (offer, year) to fill in."""
    columns = list(headers())
    dataset = tablib.Dataset(headers=columns, title=_("Calculation bases"))
    for offer, year in offers_and_years:
        dataset.append(
            [offer.name, offer.tilbudsportalen_id or "", year] + [None] * (len(columns) - 3)
        )
    return dataset


def _value(name: str, cell):
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if name in AMOUNTS:
        return parse_danish_decimal(cell)
    if name in INTEGERS or name == "year":
        number = parse_danish_decimal(cell)
        if number != number.to_integral_value():
            raise ValueError(_("%(value)s is not a whole number.") % {"value": cell})
        return int(number)
    if name == "occupancy_kind":
        labels = {str(label).lower(): value for value, label in OccupancyKind.choices}
        text = str(cell).strip().lower()
        if text in OccupancyKind.values:
            return text
        if text not in labels:
            raise ValueError(_("%(value)s is not a kind of offer.") % {"value": cell})
        return labels[text]
    return str(cell).strip()


@transaction.atomic
def bases_import(*, user, content: bytes, file_name: str) -> list[CalculationBasis]:
    """Save each row as the offer's draft basis for the year; refuse the whole
    file (TariffError listing every bad row) when any row is bad."""
    try:
        dataset = read_dataset(content, file_name)
    except ImportRefused as error:
        raise TariffError(str(error)) from error
    known = headers()
    missing = [
        header
        for header, name in known.items()
        if name in ("offer", "year") and header not in dataset.headers
    ]
    if missing:
        raise TariffError(_("The file has no column %(name)s.") % {"name": ", ".join(missing)})
    offers = Offer.objects.visible_to(user).select_related("provider")
    errors: list[str] = []
    saved: list[CalculationBasis] = []
    for number, row in enumerate(dataset.dict, start=2):
        values = {}
        try:
            for header, cell in row.items():
                if header in known:
                    values[known[header]] = _value(known[header], cell)
        except ValueError as error:
            errors.append(_("Row %(row)s: %(error)s") % {"row": number, "error": error})
            continue
        if not values.get("offer") and not values.get("tilbudsportalen_id"):
            continue  # an empty row
        match = (
            offers.filter(tilbudsportalen_id=values["tilbudsportalen_id"])
            if values.get("tilbudsportalen_id")
            else offers.filter(name=values["offer"])
        )
        offer = match.first() if match.count() == 1 else None
        if offer is None:
            errors.append(
                _("Row %(row)s: no offer of yours is called %(name)s.")
                % {"row": number, "name": values.get("offer") or values.get("tilbudsportalen_id")}
            )
            continue
        fields = {
            name: value for name, value in values.items() if name in COLUMNS and value is not None
        }
        try:
            with transaction.atomic():
                saved.append(
                    services.basis_save(
                        user=user, offer=offer, year=values.get("year") or 0, values=fields
                    )
                )
        except TariffError as error:
            errors.append(_("Row %(row)s: %(error)s") % {"row": number, "error": error})
        except Exception as error:  # a model validation error: name the row
            messages = getattr(error, "messages", [str(error)])
            errors.append(
                _("Row %(row)s: %(error)s") % {"row": number, "error": " ".join(messages)}
            )
    if errors:
        transaction.set_rollback(True)
        raise TariffError(errors)
    return saved
