"""The client's address, in one place: the audit context, the public pages' rate limits, django-axes' lock-out and
DRF's throttles all call `client_ip(request)`.

Without trusted proxies (`CTIP_TRUSTED_PROXIES` empty, the default) it is `REMOTE_ADDR`, the TCP peer, and
`X-Forwarded-For` is ignored: anyone can write that header. Behind load balancers, list their addresses or networks
in `CTIP_TRUSTED_PROXIES` (`10.0.0.5,10.1.0.0/16`). Then, when the peer is one of them, the client is found by
walking `X-Forwarded-For` from the right (the hop nearest to us) past every trusted proxy: the first address that
is not a trusted proxy is the client. Entries further left were written by the client itself and are never used, so
a client cannot choose its address by sending the header. A request whose peer is not a trusted proxy keeps
`REMOTE_ADDR`, header or not.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def parse_trusted_proxies(value: str) -> list[str]:
    """The setting's text -> the list kept in settings.CTIP_TRUSTED_PROXIES; a malformed entry raises ValueError
    (the settings turn it into ImproperlyConfigured: a typo must not silently trust nobody, or everybody)."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ValueError(f"CTIP_TRUSTED_PROXIES: {item!r} is not an IP address or network") from exc
    return items


def _parse(value: str) -> Address | None:
    """An address as a proxy writes it: bare, or with a port ("1.2.3.4:5678", "[2001:db8::1]:443")."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else value[1:]
    elif value.count(":") == 1:  # IPv4 with a port (a bare IPv6 address has two colons or more)
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address as text (None when the request has no peer address, as in some test clients)."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "CTIP_TRUSTED_PROXIES", ()) or ()))
    if not networks or remote is None:
        return remote
    peer = _parse(remote)
    if peer is None or not _trusted(peer, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hop = peer
    for entry in reversed(forwarded.split(",")):
        if not entry.strip():
            continue
        address = _parse(entry)
        if address is None:  # garbage passed on by a trusted proxy: the last hop we can vouch for
            return str(hop)
        if not _trusted(address, networks):
            return str(address)
        hop = address
    # Every hop is a trusted proxy (a health check from the balancer itself): the leftmost one.
    return str(hop)


def axes_client_ip(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the lock-out counts the same address as everything else."""
    return client_ip(request)
