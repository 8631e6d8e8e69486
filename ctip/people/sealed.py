"""Registry of every sealed (vault-encrypted) column, so `vault_rotate` re-encrypts all of them.

Each app registers its models in its AppConfig.ready(): `register(Model, ["field", ...], context)` where
`context(obj, field)` returns the associated-data string the field was sealed with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SealedModel:
    model: type
    fields: tuple[str, ...]
    context: Callable[[object, str], str]


_REGISTRY: dict[str, SealedModel] = {}


def register(model, fields, context: Callable[[object, str], str] | None = None) -> None:
    label = model._meta.label_lower
    if context is None:

        def context(obj, field, _label=label):
            return f"{_label}:{obj.public_id}:{field}"

    _REGISTRY[label] = SealedModel(model, tuple(fields), context)


def registered() -> list[SealedModel]:
    return list(_REGISTRY.values())
