"""How much of each forfeiture order (s.17) reached the National Assistance Trust Fund.

The Trust Fund's ledger sits above the justice app in the layers (pyproject.toml, import-linter): the justice app
imports nothing of it. The Trust Fund registers its reader here when it starts (ctip/trustfund/apps.py), and the
prosecution page asks through `attach_received`: one query for all the orders of a charge sheet."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

ReceivedReader = Callable[[Iterable[int]], dict[int, int]]  # order ids -> net cents received on each

_reader: ReceivedReader | None = None


def register_received_reader(reader: ReceivedReader) -> None:
    global _reader
    _reader = reader


def attach_received(orders: Sequence) -> None:
    """Set `received_cents` on each forfeiture order: the net amount the fund received on it (None when no ledger
    is installed), in one query whatever the number of orders."""
    totals = _reader([o.pk for o in orders]) if _reader is not None and orders else {}
    for order in orders:
        order.received_cents = totals.get(order.pk, 0) if _reader is not None else None
