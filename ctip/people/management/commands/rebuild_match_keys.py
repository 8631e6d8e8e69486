"""Recompute every person's match keys (after an index-key rotation, a matcher upgrade, or on existing data)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from ctip.audit.services import audit_record
from ctip.people import matching_store
from ctip.people.identity import open_identity
from ctip.people.models import PersonMatchKey


class Command(BaseCommand):
    help = "Recompute the keyed match keys of every active person (duplicate detection)."

    def handle(self, *args, **opts):
        started = time.monotonic()
        persons = keys = 0
        for batch in matching_store.iter_persons():
            rows = []
            for person in batch:
                rows += matching_store.key_rows(person, open_identity(person))
            with transaction.atomic():
                PersonMatchKey.objects.filter(person__in=batch).delete()
                PersonMatchKey.objects.bulk_create(rows, batch_size=2000)
            persons += len(batch)
            keys += len(rows)
            if opts["verbosity"] > 1:
                self.stdout.write(f"{persons} persons")
        audit_record(actor="rebuild_match_keys", action="people.match_keys_rebuilt", changes={"persons": persons})
        self.stdout.write(
            self.style.SUCCESS(f"{persons} persons, {keys} match keys in {time.monotonic() - started:.1f} s.")
        )
