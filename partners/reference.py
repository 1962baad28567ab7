"""The real reference data shipped in partners/data: nations, groups, areas, organisations.

Loading is idempotent: records are matched by code and brought up to date.
"""

import json
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _read(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return json.load(fh)


def load_reference_data(apps=None):
    get = (lambda name: apps.get_model("partners", name)) if apps else _model
    Nation, Group, Membership = get("Nation"), get("PartnershipGroup"), get("Membership")
    Area, Organisation = get("Area"), get("Organisation")

    nations = {}
    for row in _read("nations.json"):
        nation, _ = Nation.objects.update_or_create(
            code=row["code"], defaults={"name_en": row["name_en"], "name_ar": row["name_ar"]}
        )
        nations[nation.code] = nation
    for row in _read("groups.json"):
        group, _ = Group.objects.update_or_create(
            code=row["code"], defaults={"name_en": row["name_en"], "name_ar": row["name_ar"]}
        )
        for member in row["members"]:
            joined = date.fromisoformat(member["joined"]) if member.get("joined") else None
            Membership.objects.update_or_create(
                group=group, nation=nations[member["nation"]], defaults={"joined_on": joined}
            )
    for row in _read("areas.json"):
        Area.objects.update_or_create(
            code=row["code"],
            defaults={key: row.get(key, "") for key in ("name_en", "name_ar", "description_en", "description_ar")},
        )
    for row in _read("organisations.json"):
        Organisation.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_en": row["name_en"],
                "name_ar": row["name_ar"],
                "kind": row["kind"],
                "nation": nations.get(row["nation"]) if row.get("nation") else None,
            },
        )


def _model(name):
    from django.apps import apps

    return apps.get_model("partners", name)
