"""Sealed columns: model fields whose database column holds a vault token (AES-256-GCM, ctip.people.vault).

Two field types, one introspection:

- ``SealedTextField``: free text that may name people (a narrative, a reason, what a tip reporter wrote). The
  column holds the token; the Python value is the plaintext. Assign plaintext and save: ``pre_save`` seals it
  with the associated data ``"<app label>.<model>:<public id>:<field>"`` (the record's ``public_id``). Loading a
  row decrypts nothing: the token is opened on first access of the attribute and cached, so listing rows does
  not decrypt the fields no one reads. Forms never get the field (``formfield()`` is None); serialisers and
  fixtures (``value_from_object``) get the token, never the plaintext.
- ``VaultTokenField``: a column whose Python value is the token itself, opened only by explicit, audited code
  (the person identity: ``people.identity.open_identity``). Its ``context`` says what the token is bound to.

``sealed_columns()`` finds every field of either type in every installed model, so ``vault_rotate`` (and the
test that rotates every column) cannot miss a column a new module adds: a new module declares sealed text by
using the field type, and registers nothing.

Paths that would write plaintext to a sealed column, or read ciphertext as if it were text, fail loudly:
``update()``/``bulk_update()``/``filter()`` with a non-empty string raise ``SealedFieldError`` (assign on the
instance and ``save()``/``bulk_create()`` instead: both seal through ``pre_save``); ``values()``/
``values_list()`` give ``Ciphertext`` objects, which refuse to become text; look-ups other than exact, isnull,
in and startswith (``__icontains``...) raise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from .vault import get_vault


class SealedFieldError(TypeError):
    """Plaintext on its way to a sealed column other than through save()/bulk_create(), or ciphertext used as
    text. A programming error, never a user's."""


class Ciphertext:
    """A vault token as the database holds it. ``values()``/``values_list()`` on a sealed text column give these;
    writing one (``update(field=Ciphertext(token))``) stores the token as is. It is not text: ``str()`` raises."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token or ""

    def __bool__(self) -> bool:
        return bool(self.token)

    def __eq__(self, other) -> bool:
        return isinstance(other, Ciphertext) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    def __repr__(self) -> str:
        return f"<Ciphertext {self.token[:12]}…>" if self.token else "<Ciphertext empty>"

    def __str__(self) -> str:
        raise SealedFieldError(
            "This is the ciphertext of a sealed column (read through values()/values_list()); load the model "
            "instance and read the attribute to get the text."
        )


def default_context(obj, field_name: str) -> str:
    """The associated data a sealed field of `obj` is bound to: ``"<app label>.<model>:<public id>:<field>"``."""
    return f"{obj._meta.label_lower}:{obj.public_id}:{field_name}"


class SealedColumnMixin:
    """What `vault_rotate` needs of a sealed column: its token on a row, the row's context, the relations the
    context reads. Mixed into both field types."""

    context_of: Callable[[object, str], str] = staticmethod(default_context)
    related: tuple[str, ...] = ()

    def context_for(self, obj) -> str:
        return self.context_of(obj, self.name)

    def token_of(self, obj) -> str:  # pragma: no cover - defined by each field type
        raise NotImplementedError

    def get_prep_value(self, value):
        if isinstance(value, Ciphertext):
            return value.token
        return super().get_prep_value(value)


class VaultTokenField(SealedColumnMixin, models.TextField):
    """A column holding a vault token, whose Python value is the token: it is opened only by explicit code that
    checks need-to-know and logs the read (the person identity). `context(obj, field_name)` gives the associated
    data (default: the record's ``"<label>:<public id>:<field>"``); `related` are the relations it reads, for
    select_related."""

    def __init__(self, *args, context: Callable[[object, str], str] | None = None, related=(), **kwargs):
        if context is not None:
            self.context_of = context
        self.related = tuple(related)
        super().__init__(*args, **kwargs)

    def token_of(self, obj) -> str:
        return getattr(obj, self.attname) or ""

    def formfield(self, **kwargs):
        return None


class _SealedTextAttribute(DeferredAttribute):
    """The model attribute of a SealedTextField. The instance's ``__dict__[attname]`` holds either a Ciphertext
    (loaded, not yet opened) or the plaintext; ``__dict__[token_key]`` holds the token that plaintext is sealed
    as, once known (opened or saved), so saving an unchanged value writes the same token."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        field = self.field
        data = instance.__dict__
        value = field.raw_value(instance)
        if isinstance(value, Ciphertext):
            plain = get_vault().open(value.token, context=field.context_for(instance))
            data[field.attname] = plain
            data[field.token_key] = value.token
            return plain
        return value

    def __set__(self, instance, value):
        field = self.field
        instance.__dict__.pop(field.token_key, None)
        if isinstance(value, str):
            value = value.strip()
        instance.__dict__[field.attname] = value


class SealedTextField(SealedColumnMixin, models.TextField):
    """Free text that may identify someone: sealed in the database, plaintext in Python (see the module doc)."""

    descriptor_class = _SealedTextAttribute

    @property
    def token_key(self) -> str:
        return f"_sealed_token_{self.attname}"

    def raw_value(self, instance):
        """What the instance holds: a Ciphertext (not opened) or the plaintext. A deferred column (only()/defer())
        is fetched as its token, not decrypted."""
        data = instance.__dict__
        if self.attname not in data:
            data[self.attname] = (
                type(instance)
                ._base_manager.db_manager(instance._state.db)
                .filter(pk=instance.pk)
                .values_list(self.attname, flat=True)
                .get()
            )
        return data[self.attname]

    def from_db_value(self, value, expression, connection):
        return value if value is None else Ciphertext(value)

    def token_of(self, obj) -> str:
        """The token the row holds (or will hold once saved), without decrypting anything."""
        return self.pre_save(obj, add=False).token

    def pre_save(self, model_instance, add):
        data = model_instance.__dict__
        value = self.raw_value(model_instance) if model_instance.pk is not None else data.get(self.attname, "")
        if isinstance(value, Ciphertext):
            return value  # loaded and never opened: unchanged
        token = data.get(self.token_key)
        if token is None:
            text = "" if value is None else str(value)
            token = get_vault().seal(text, context=self.context_for(model_instance))
            data[self.token_key] = token
        return Ciphertext(token)

    def get_prep_value(self, value):
        if isinstance(value, Ciphertext) or value is None or value == "":
            return super().get_prep_value(value)
        raise SealedFieldError(
            f"{self.model._meta.label}.{self.name} is sealed: plaintext cannot be written or compared in SQL "
            "(update(), bulk_update(), filter()). Assign it on the instance and save() or bulk_create()."
        )

    # Comparing ciphertext to text is meaningless (a random nonce per value): only what rotation and blanking need.
    LOOKUPS = frozenset({"exact", "isnull", "in", "startswith"})

    def get_lookup(self, lookup_name):
        if lookup_name not in self.LOOKUPS:
            raise SealedFieldError(f"{self.model._meta.label}.{self.name} is sealed: no __{lookup_name} look-up.")
        return super().get_lookup(lookup_name)

    def value_from_object(self, obj):
        return self.token_of(obj)  # serialisers and fixtures carry the token, never the plaintext

    def formfield(self, **kwargs):
        return None  # a ModelForm never renders a sealed column: forms declare their own text fields


@dataclass(frozen=True)
class SealedColumn:
    model: type
    field: SealedColumnMixin

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field.name}"


def sealed_columns() -> list[SealedColumn]:
    """Every sealed column of every installed (concrete, managed) model, found by introspection."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, SealedColumnMixin):
                found.append(SealedColumn(model, field))
    return found


def sealed_models() -> Iterator[tuple[type, list[SealedColumnMixin]]]:
    """The sealed columns grouped by model, in a stable order."""
    by_model: dict[type, list[SealedColumnMixin]] = {}
    for column in sealed_columns():
        by_model.setdefault(column.model, []).append(column.field)
    for model in sorted(by_model, key=lambda m: m._meta.label_lower):
        yield model, by_model[model]


def sealed_field_names(model) -> list[str]:
    """The names of a model's sealed text fields, in declaration order."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, SealedTextField)]


def stored_token(obj, field_name: str) -> str:
    """The token the database row holds for a sealed column (what a dump of the table shows)."""
    field = obj._meta.get_field(field_name)
    value = type(obj)._base_manager.filter(pk=obj.pk).values_list(field.attname, flat=True).get()
    return value.token if isinstance(value, Ciphertext) else value


def has_text(obj, field_name: str) -> bool:
    """Whether a sealed field of `obj` holds text, without decrypting it (for "show" links and flags)."""
    field = obj._meta.get_field(field_name)
    if isinstance(field, SealedTextField):
        return bool(field.raw_value(obj))  # a Ciphertext is true when it holds a token; plaintext when not blank
    return bool(field.token_of(obj))
