"""Rule set version 1 of the job-offer check, published, from the reviewed file ctip/jobcheck/seed/rules_v1.yaml
(validated by the rule language before it is stored). Later versions are made in the officers' screens."""

from pathlib import Path

import yaml
from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "seed" / "rules_v1.yaml"


def load(apps, schema_editor):
    from ctip.jobcheck.rules import validate

    RuleSet = apps.get_model("jobcheck", "RuleSet")
    if RuleSet.objects.exists():
        return
    text = SEED.read_text(encoding="utf-8")
    doc = validate(yaml.safe_load(text))
    from django.utils import timezone

    RuleSet.objects.create(
        number=1,
        status="published",
        source_text=text,
        document=doc,
        note="First version, from the reviewed file seed/rules_v1.yaml (DOMAIN.md section 6).",
        published_at=timezone.now(),
    )


def unload(apps, schema_editor):
    apps.get_model("jobcheck", "RuleSet").objects.filter(number=1, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("jobcheck", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
