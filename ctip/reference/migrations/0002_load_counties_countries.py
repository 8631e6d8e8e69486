"""Load Kenya's 47 counties and the ISO 3166-1 countries (pycountry). Re-runnable: updates in place."""

from django.db import migrations


def load(apps, schema_editor):
    import pycountry

    from ctip.reference.data.counties import COUNTIES

    County = apps.get_model("reference", "County")
    Country = apps.get_model("reference", "Country")
    for code, name, iso in COUNTIES:
        County.objects.update_or_create(code=code, defaults={"name": name, "iso_code": iso})
    for c in pycountry.countries:
        Country.objects.update_or_create(
            alpha2=c.alpha_2,
            defaults={"alpha3": c.alpha_3, "numeric": c.numeric, "name": getattr(c, "common_name", None) or c.name},
        )


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
