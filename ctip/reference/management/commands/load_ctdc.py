"""manage.py load_ctdc PATH [--name NAME]: load the CTDC Global Victim-Perpetrator Synthetic Dataset (CSV) as a
reference dataset for the comparison page (/exchange/ctdc/). All rows or none; audited."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctip.core.errors import ValidationFailed
from ctip.reference.services import ctdc_load


class Command(BaseCommand):
    help = "Load a CTDC victim-perpetrator CSV file as a reference dataset (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--name", default="", help="the dataset's name (default: the file name)")

    def handle(self, *args, path: Path, name: str, **options):
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            dataset = ctdc_load(actor=None, content=path.read_bytes(), name=name or path.stem)
        except ValidationFailed as exc:
            details = [f"  {where}: {'; '.join(str(m) for m in msgs)}" for where, msgs in (exc.fields or {}).items()]
            raise CommandError("\n".join([str(exc.message), *details])) from exc
        self.stdout.write(f"Loaded {dataset.row_count:,} rows as {dataset.name!r} ({dataset.sha256[:12]}).")
