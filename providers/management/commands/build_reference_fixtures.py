"""Write fixtures/*.json from the official code lists and the seed documents.

The fixtures are committed; this command documents where every value comes
from and rebuilds them when the code lists change:

    python manage.py build_reference_fixtures --data ../shared/data
"""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agreements.reference import (
    COPENHAGEN_BODIES,
    COPENHAGEN_PRINCIPLES,
    MIDTJYLLAND_BODIES,
    SJAELLAND_BODIES,
)
from providers.reference import COLLABORATION_MODELS, MUNICIPAL_SOLUTIONS

MIDTJYLLAND = 1082
SJAELLAND = 1085
COPENHAGEN = 101


class Command(BaseCommand):
    help = "Rebuild the reference fixtures from the code lists and the seeds."

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(settings.BASE_DIR.parent / "shared" / "data"))
        parser.add_argument("--out", default=str(settings.BASE_DIR / "fixtures"))

    def handle(self, *args, data: str, out: str, **options):
        data_dir, out_dir = Path(data), Path(out)
        if not (data_dir / "regions.csv").exists():
            raise CommandError(f"No regions.csv in {data_dir}.")
        regions = _read_csv(data_dir / "regions.csv")
        municipalities = _read_csv(data_dir / "municipalities.csv")
        _write(out_dir / "regions.json", _regions(regions, municipalities))
        _write(out_dir / "collaboration_models.json", _collaboration_models())
        _write(out_dir / "framework_agreements.json", _agreements(municipalities))
        self.stdout.write(self.style.SUCCESS(f"Fixtures written to {out_dir}."))


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, objects: list[dict]) -> None:
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _regions(regions: list[dict], municipalities: list[dict]) -> list[dict]:
    objects = [
        {
            "model": "agreements.region",
            "pk": int(row["code"]),
            "fields": {"code": int(row["code"]), "iso_code": row["iso_code"], "name": row["name"]},
        }
        for row in regions
    ]
    objects += [
        {
            "model": "agreements.municipality",
            "pk": int(row["code"]),
            "fields": {
                "code": int(row["code"]),
                "name": row["name"],
                "region": int(row["region_code"]),
            },
        }
        for row in municipalities
    ]
    return objects


def _collaboration_models() -> list[dict]:
    objects = [
        {
            "model": "providers.municipalsolution",
            "pk": position,
            "fields": {"code": code, "name": name, "position": position},
        }
        for position, (code, name) in enumerate(MUNICIPAL_SOLUTIONS, start=1)
    ]
    solution_pk = {
        code: position for position, (code, _name) in enumerate(MUNICIPAL_SOLUTIONS, start=1)
    }
    requirement_pk = 0
    for model in COLLABORATION_MODELS:
        fields = {key: value for key, value in model.items() if key not in {"number", "levels"}}
        objects.append(
            {
                "model": "providers.collaborationmodel",
                "pk": model["number"],
                # Seed 000: the models are København's agreement's (pk 2 below).
                "fields": {"number": model["number"], "framework_agreement": 2, **fields},
            }
        )
        for code, (level, note) in model["levels"].items():
            requirement_pk += 1
            objects.append(
                {
                    "model": "providers.solutionrequirement",
                    "pk": requirement_pk,
                    "fields": {
                        "model": model["number"],
                        "solution": solution_pk[code],
                        "level": level,
                        "note": note,
                    },
                }
            )
    return objects


def _agreements(municipalities: list[dict]) -> list[dict]:
    midtjylland = [
        int(row["code"]) for row in municipalities if int(row["region_code"]) == MIDTJYLLAND
    ]
    sjaelland = [int(row["code"]) for row in municipalities if int(row["region_code"]) == SJAELLAND]
    by_name = {row["name"]: int(row["code"]) for row in municipalities}
    objects = [
        # Each agreement is administered by its own secretariat.
        {
            "model": "agreements.secretariat",
            "pk": 1,
            "fields": {"name": "Sekretariat for Rammeaftaler, Midtjylland"},
        },
        {
            "model": "agreements.secretariat",
            "pk": 2,
            "fields": {"name": "Socialforvaltningen, Københavns Kommune"},
        },
        {
            "model": "agreements.secretariat",
            "pk": 3,
            # 001: "Udviklingsgruppen under rammeaftale Sjælland".
            "fields": {"name": "Udviklingsgruppen under Rammeaftale Sjælland"},
        },
        {
            "model": "agreements.frameworkagreement",
            "pk": 1,
            "fields": {
                "name": "Rammeaftale 2025-26 for Midtjylland",
                "kind": "regional",
                "secretariat": 1,
                "region": MIDTJYLLAND,
                "municipality": None,
                "period_start": "2025-01-01",
                "period_end": "2026-12-31",
                "status": "in_force",
                "approved_on": "2024-10-01",
                "approved_by": "De 19 midtjyske byråd og Regionsrådet",
                "parties": midtjylland,
                "purpose": (
                    "Sikre et samlet overblik over tilbudsviften på socialområdet og skabe "
                    "overensstemmelse mellem udbud og efterspørgsel på tilbud og ydelser."
                ),
                "last_evaluated_on": None,
                "approval_threshold": 10,
                "hearing_days": 14,
                "closure_requires_approval": True,
                "opening_requires_approval": False,
                "relabelling_requires_approval": False,
                "add_on_services_allowed": True,
                "new_offer_deficit_guarantee_years": 0,
                "operating_agreement_review_years": 5,
                # 004: "skal godkendes i de 19 midtjyske byråd og i Regionsrådet".
                "regional_council_approves": True,
            },
        },
        {
            "model": "agreements.frameworkagreement",
            "pk": 2,
            "fields": {
                "name": (
                    "Rammeaftale for samarbejdet mellem Socialforvaltningen i Københavns "
                    "Kommune og de selvejende tilbud"
                ),
                "kind": "municipal",
                "secretariat": 2,
                "region": None,
                "municipality": COPENHAGEN,
                "period_start": "2015-02-25",
                "period_end": None,
                "status": "in_force",
                "approved_on": "2015-02-25",
                "approved_by": "Styregruppen og Socialforvaltningens direktion",
                "parties": [COPENHAGEN],
                "purpose": (
                    "1) At beskrive de overordnede principper i samarbejdet mellem "
                    "Socialforvaltningen i Københavns Kommune og de selvejende tilbud. "
                    "2) At understøtte en fortsat udvikling af samarbejdet."
                ),
                "last_evaluated_on": None,
                "approval_threshold": 10,
                "hearing_days": 14,
                "closure_requires_approval": True,
                "opening_requires_approval": False,
                "relabelling_requires_approval": False,
                "add_on_services_allowed": True,
                "new_offer_deficit_guarantee_years": 0,
                "operating_agreement_review_years": 5,
                "regional_council_approves": False,
            },
        },
        {
            "model": "agreements.frameworkagreement",
            "pk": 3,
            "fields": {
                "name": "Rammeaftale Sjælland",
                "kind": "regional",
                "secretariat": 3,
                "region": SJAELLAND,
                "municipality": None,
                "period_start": "2025-01-01",
                "period_end": "2026-12-31",
                "status": "in_force",
                "approved_on": None,
                "approved_by": "KKR Sjælland og de 17 kommunalbestyrelser",
                "parties": sjaelland,
                "purpose": (
                    "Fælles forpligtende principper blandt de 17 kommuner på det specialiserede "
                    "socialområde i region Sjælland: fælles om kontrakter og takster, om kvalitet "
                    "og om botilbud."
                ),
                "last_evaluated_on": None,
                "approval_threshold": 10,
                "hearing_days": 14,
                # 001 "Fælles om botilbud": opening, closing and relabelling go through K17.
                "closure_requires_approval": True,
                "opening_requires_approval": True,
                "relabelling_requires_approval": True,
                # 001 "Slut med tilkøbsydelse".
                "add_on_services_allowed": False,
                # 001: "underskudsgaranti de første 3 år af et tilbuds levetid".
                "new_offer_deficit_guarantee_years": 3,
                "operating_agreement_review_years": 5,
                # 001: the decision goes to the 17 municipal councils.
                "regional_council_approves": False,
            },
        },
    ]
    objects += [
        {
            "model": "agreements.principle",
            "pk": number,
            "fields": {"agreement": 2, "number": number, "title": title, "text": text},
        }
        for number, (title, text) in enumerate(COPENHAGEN_PRINCIPLES, start=1)
    ]
    bodies = (
        [(body, 1, midtjylland) for body in MIDTJYLLAND_BODIES]
        + [(body, 2, [COPENHAGEN]) for body in COPENHAGEN_BODIES]
        + [(body, 3, sjaelland) for body in SJAELLAND_BODIES]
    )
    pk_of = {body["name"]: pk for pk, (body, _a, _m) in enumerate(bodies, start=1)}
    for pk, (body, agreement, parties) in enumerate(bodies, start=1):
        members = (
            parties if body["members"] == "all" else [by_name[name] for name in body["members"]]
        )
        objects.append(
            {
                "model": "agreements.governingbody",
                "pk": pk,
                "fields": {
                    "name": body["name"],
                    "kind": body["kind"],
                    "agreement": agreement,
                    "decides_on_behalf_of": pk_of.get(body.get("on_behalf_of")),
                    "members": members,
                    "region_is_member": body["region_is_member"],
                    "may_approve_capacity": body["may_approve_capacity"],
                    "tasks": body["tasks"],
                    "meets": body["meets"],
                },
            }
        )
    return objects
