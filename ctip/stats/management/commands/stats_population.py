"""List or set Kenya's population figures (the SDG 16.2.2 denominator): every change is audited."""

from django.core.management.base import BaseCommand, CommandError

from ctip.core.errors import ValidationFailed
from ctip.stats.models import Population
from ctip.stats.services import population_set


class Command(BaseCommand):
    help = (
        "List Kenya's population figures, or set one: stats_population --year 2019 --sex female --count 24014716 "
        '--source "KNBS 2019 Census, Volume I" [--age-group 0-17].'
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--sex", choices=["total", "male", "female", "intersex"])
        parser.add_argument("--count", type=int)
        parser.add_argument("--source", default="")
        parser.add_argument("--age-group", default="all", choices=["all", "0-17", "18+"])

    def handle(self, *args, **options):
        if options["year"] is None:
            for p in Population.objects.all():
                self.stdout.write(f"{p.reference_year}\t{p.sex}\t{p.age_group}\t{p.count}\t{p.source}")
            return
        if options["sex"] is None or options["count"] is None:
            raise CommandError("--year needs --sex, --count and --source.")
        try:
            p = population_set(
                actor="manage.py stats_population",
                reference_year=options["year"],
                sex=options["sex"],
                count=options["count"],
                source=options["source"],
                age_group=options["age_group"],
            )
        except ValidationFailed as exc:
            raise CommandError(f"{exc.message} {exc.fields}") from exc
        self.stdout.write(f"Set: {p}")
