"""Tip references as the public types them: one normal form, used by the services and the selectors."""

from __future__ import annotations


def normalize_reference(raw: str) -> str:
    """'tip 7k3q9xrm', 'TIP-7K3Q-9XRM' -> 'TIP-7K3Q-9XRM'. Unknown shapes come back upper-cased as typed."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if text.startswith("TIP") and len(text) == 11:
        return f"TIP-{text[3:7]}-{text[7:11]}"
    return (raw or "").strip().upper()[:30]
