"""Load the HTCDS v2.0 value sets, the offences catalogue and the Delphi indicator catalogue. Re-runnable:
updates in place by natural key, so a later migration can load corrected data the same way."""

import csv
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
DIMENSION_CODES = {
    "deceptive_recruitment": "DR",
    "coercive_recruitment": "CR",
    "recruitment_abuse_of_vulnerability": "RV",
    "exploitative_conditions": "EX",
    "coercion_at_destination": "CD",
    "abuse_of_vulnerability_at_destination": "DV",
}
LIST_CODES = {"adult_labour": "AL", "child_labour": "CL", "adult_sexual": "AS", "child_sexual": "CS"}


def load(apps, schema_editor):
    from ctip.reference.data.offences import OFFENCES

    HtcdsValue = apps.get_model("reference", "HtcdsValue")
    Offence = apps.get_model("reference", "Offence")
    Indicator = apps.get_model("reference", "Indicator")

    for field in json.loads((DATA / "htcds_values.json").read_text()):
        for position, value in enumerate(field["values"]):
            HtcdsValue.objects.update_or_create(
                field=field["field"],
                name=value["name"],
                defaults={
                    "field_label": field["label"],
                    "section": field["section"],
                    "label": value["label"],
                    "position": position,
                },
            )
    for position, row in enumerate(OFFENCES):
        code, statute, section, title, summary, penalty, years, fine, life, checked = row
        Offence.objects.update_or_create(
            code=code,
            defaults={
                "statute": statute,
                "section": section,
                "title": title,
                "summary": summary,
                "penalty": penalty,
                "min_years": years,
                "min_fine_kes": fine,
                "life_on_subsequent": life,
                "penalty_checked": checked,
                "position": position,
            },
        )
    counters: dict[tuple[str, str], int] = {}
    with (DATA / "delphi_indicators.csv").open(newline="", encoding="utf-8") as fh:
        for position, row in enumerate(csv.DictReader(fh)):
            key = (row["list"], row["dimension"])
            counters[key] = counters.get(key, 0) + 1
            code = f"{LIST_CODES[row['list']]}-{DIMENSION_CODES[row['dimension']]}-{counters[key]:02d}"
            Indicator.objects.update_or_create(
                code=code,
                defaults={
                    "indicator_list": row["list"],
                    "dimension": row["dimension"],
                    "strength": row["strength"],
                    "text": row["indicator"],
                    "position": position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_htcds_offences_indicators")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
