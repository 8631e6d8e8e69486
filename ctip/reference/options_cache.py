"""Rendered option lists of the reference data (counties, countries), cached per language (issue 10).

The public tip form /report/ spent most of its time rendering ~300 <option> elements that are the same for every
visitor. CachedOptionsSelect renders them once per language, widget attributes and reference-data version, in
Django's cache (CACHES: locmem in development and tests, the database table or Redis in production, so every
process shares it). A change to a county or country bumps the version after its transaction commits
(post_save/post_delete of the models, and post_migrate for data migrations, which use historical models):
the next render builds the lists again. A select with a value chosen (a form shown again with errors) is rendered
normally.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

VERSION_KEY = "reference:options:version"
TIMEOUT = 24 * 60 * 60  # a day; the version makes stale entries unreachable long before


def version() -> str:
    """The current reference-data version: a fresh one when the cache lost it (so nothing stale is reachable)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        current = cache.get(VERSION_KEY) or ""
    return current


def _bump() -> None:
    """A new version now (operations: after reference data changed behind the ORM's back, e.g. raw SQL)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def invalidate(**_kwargs) -> None:
    """Reference data changed: new option lists once the current transaction commits (a signal receiver too)."""
    transaction.on_commit(_bump)


def cached_html(name: str, render: Callable[[], str]) -> SafeString:
    key = f"reference:options:{version()}:{translation.get_language() or ''}:{name}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - the widget's own escaped rendering


class CachedOptionsSelect(forms.Select):
    """A select whose unselected rendering is cached (see the module docstring)."""

    def render(self, name, value, attrs=None, renderer=None):
        if value not in (None, "", []):
            return super().render(name, value, attrs, renderer)
        # What the options are made of is part of the key too (the query and the empty label, never running the
        # query), so two forms with a field of the same name but other options never share an entry.
        queryset = getattr(self.choices, "queryset", None)
        # (labels as text: a lazily translated label's repr names its object, not its words)
        source = (str(queryset.query) if queryset is not None else repr([(v, str(lab)) for v, lab in self.choices]),)
        source += (str(getattr(getattr(self.choices, "field", None), "empty_label", "")),)
        spec = repr((type(self).__name__, name, sorted((attrs or {}).items()), sorted(self.attrs.items()), source))
        digest = hashlib.sha256(spec.encode()).hexdigest()[:16]
        return cached_html(digest, lambda: super(CachedOptionsSelect, self).render(name, value, attrs, renderer))
