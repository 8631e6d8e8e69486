"""Kenya's population from the KNBS 2019 Kenya Population and Housing Census (Volume I: population by sex), the
denominator of SDG 16.2.2. Only the sex totals: age-group figures (Volume III) are added with
`manage.py stats_population` once checked against the published volume."""

from django.db import migrations
from django.utils import timezone

SOURCE = "KNBS, 2019 Kenya Population and Housing Census, Volume I (population by sex)"
FIGURES = [
    ("total", 47_564_296),
    ("male", 23_548_056),
    ("female", 24_014_716),
    ("intersex", 1_524),
]


def add(apps, schema_editor):
    Population = apps.get_model("stats", "Population")
    for sex, count in FIGURES:
        Population.objects.update_or_create(
            reference_year=2019,
            sex=sex,
            age_group="all",
            defaults={"count": count, "source": SOURCE, "updated_at": timezone.now()},
        )


def remove(apps, schema_editor):
    apps.get_model("stats", "Population").objects.filter(reference_year=2019, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
