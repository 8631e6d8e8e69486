"""Re-encrypt every sealed column under the primary vault key, and optionally rebuild the blind indexes.

The columns are found by introspection (ctip.people.sealed.sealed_columns: every SealedTextField and
VaultTokenField of every installed model), so a column a new module adds is rotated without registering it.
Encrypted files (attachments) are rotated by the stores registered with ctip.people.vault_stores.

Key rotation: put the new key FIRST in CTIP_VAULT_KEYS (keep the old ones after it), run this command, check
that it reports 0 remaining, then remove the old keys. Index-key rotation: set the new CTIP_INDEX_KEY and run
with --reindex (values are decrypted and re-hashed, so the old index key is not needed).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Case, Value, When

from ctip.audit.services import audit_record
from ctip.people.models import PersonIdentifier
from ctip.people.sealed import Ciphertext, sealed_columns, sealed_models
from ctip.people.vault import get_vault
from ctip.people.vault_stores import stores

CHUNK = 1000


class Command(BaseCommand):
    help = "Re-encrypt sealed identity data under the primary vault key (and rebuild blind indexes with --reindex)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")
        parser.add_argument("--reindex", action="store_true", help="recompute blind indexes with CTIP_INDEX_KEY")

    def handle(self, *args, **opts):
        vault = get_vault()
        dry = opts["dry_run"]
        started = time.monotonic()
        totals: dict[str, int] = {}
        for model, fields in sealed_models():
            label = model._meta.label_lower
            changed = 0
            last_pk = 0
            related = sorted({name for field in fields for name in field.related})
            while True:
                with transaction.atomic():
                    qs = model._base_manager.select_related(*related).filter(pk__gt=last_pk).order_by("pk")
                    # Lock the chunk so an edit made meanwhile is not overwritten by the re-encrypted old value.
                    rows = list((qs if dry else qs.select_for_update())[:CHUNK])
                    if not rows:
                        break
                    last_pk = rows[-1].pk
                    updates: dict = {field: {} for field in fields}  # field -> {pk: new token}
                    for obj in rows:
                        row_changed = False
                        for field in fields:
                            token = field.token_of(obj)  # the stored token: nothing is decrypted to read it
                            if vault.needs_rotation(token):
                                updates[field][obj.pk] = vault.rotate(token, context=field.context_for(obj))
                                row_changed = True
                        changed += row_changed
                    if not dry:
                        for field, tokens in updates.items():
                            if tokens:
                                _write_tokens(model, field, tokens)
            totals[label] = changed
            self.stdout.write(f"{label}: {changed} row(s) {'to re-encrypt' if dry else 're-encrypted'}")
        for name, store in stores().items():  # encrypted files (ctip.people.vault_stores)
            changed = store.rotate(vault, dry_run=dry)
            totals[name] = changed
            self.stdout.write(f"{name}: {changed} file(s) {'to re-encrypt' if dry else 're-encrypted'}")
        reindexed = 0
        if opts["reindex"]:
            reindexed = self._reindex(vault, dry)
            self.stdout.write(f"blind indexes: {reindexed} {'to rebuild' if dry else 'rebuilt'}")
        remaining = self._remaining(vault)
        if not dry:
            audit_record(
                actor="vault_rotate",
                action="vault.rotate",
                target_type="vault",
                changes={"primary_key_id": vault.primary, "rows": totals, "reindexed": reindexed},
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.1f} s; primary key {vault.primary}; "
                f"{remaining} value(s) still under an older key."
            )
        )

    def _reindex(self, vault, dry: bool) -> int:
        changed = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                rows = list(
                    PersonIdentifier.objects.select_related("person").filter(pk__gt=last_pk).order_by("pk")[:CHUNK]
                )
                if not rows:
                    return changed
                last_pk = rows[-1].pk
                dirty = []
                for ident in rows:
                    value = vault.open(
                        ident.value, context=f"people.person:{ident.person.public_id}:identifier:{ident.kind}"
                    )
                    index = vault.blind_index(ident.kind, value)
                    if index != ident.blind_index:
                        ident.blind_index = index
                        dirty.append(ident)
                changed += len(dirty)
                if dirty and not dry:
                    PersonIdentifier.objects.bulk_update(dirty, ["blind_index"])

    def _remaining(self, vault) -> int:
        count = 0
        prefixes = [f"v1.{kid}." for kid in vault.key_ids if kid != vault.primary]
        for column in sealed_columns():
            for prefix in prefixes:
                count += column.model._base_manager.filter(**{f"{column.field.attname}__startswith": prefix}).count()
        for store in stores().values():
            count += store.remaining(vault)
        return count


def _write_tokens(model, field, tokens: dict) -> None:
    """Store new tokens as they are (Ciphertext: a sealed text column takes no plaintext from an UPDATE)."""
    whens = [When(pk=pk, then=Value(Ciphertext(token), output_field=field)) for pk, token in tokens.items()]
    model._base_manager.filter(pk__in=list(tokens)).update(**{field.attname: Case(*whens, output_field=field)})
