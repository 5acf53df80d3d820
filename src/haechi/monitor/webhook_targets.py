"""Which addresses an alert webhook may reach, checked when a spec is saved and again
when an alert is delivered.

A webhook URL is typed by an editor but posted to by the server, so without a check it
lets a user reach the server's own network (cloud metadata, admin ports, databases)
and, through the stored delivery outcome, scan it. Only ``http``/``https`` URLs whose
host resolves *entirely* to public addresses are used. Private, loopback, link-local,
shared, multicast, reserved and unspecified addresses are refused — also inside
IPv4-mapped, 6to4 and NAT64 IPv6 addresses — unless the administrator allows private
targets (``HAECHI_WEBHOOK_ALLOW_PRIVATE=true``) or lists networks
(``HAECHI_WEBHOOK_ALLOWED_NETWORKS=10.20.0.0/16,…``). Multicast and unspecified
addresses are never reached. Delivery resolves the host itself, checks every address
and connects to the checked one (so DNS rebinding between check and connect has no
effect); redirects are not followed.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from haechi.domain.errors import Issue, ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)
FIX = ("use an http(s) address on the internet; an administrator can allow internal targets with "
       "HAECHI_WEBHOOK_ALLOW_PRIVATE or HAECHI_WEBHOOK_ALLOWED_NETWORKS")


class TargetRefused(Exception):
    """The webhook's address is not one the server may post to."""


@dataclass(frozen=True)
class Target:
    """A checked webhook: the URL to connect to (host replaced by the checked address)."""

    url: str
    host_header: str   # what the receiver expects in Host
    server_name: str   # the name its TLS certificate is checked against
    address: IPAddress


@dataclass(frozen=True)
class TargetPolicy:
    """The administrator's allowance for non-public webhook targets."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, settings: Any) -> TargetPolicy:
        return cls(bool(getattr(settings, "webhook_allow_private", False)),
                   parse_networks(getattr(settings, "webhook_allowed_networks", "") or ""))

    def permits(self, address: IPAddress) -> bool:
        """Whether the server may connect to ``address`` (and any IPv4 address it embeds)."""
        return all(self._permits_one(a) for a in _with_embedded(address))

    def _permits_one(self, address: IPAddress) -> bool:
        if address.is_multicast or address.is_unspecified:
            return False
        if any(address in network for network in self.allowed_networks if network.version == address.version):
            return True
        if _public(address):
            return True
        return self.allow_private


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """``"10.0.0.0/8, fd00::/8"`` → networks; a bad entry is a settings error naming it."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValidationFailed(f"HAECHI_WEBHOOK_ALLOWED_NETWORKS: '{part}' is not a network",
                                   issues=[Issue("webhook_allowed_networks", "not a network",
                                                 "write networks in CIDR form, e.g. 10.20.0.0/16")],
                                   key="monitor.haechi_webhook_allowed_networks", values={"part": part}
                                   ) from None
    return tuple(out)


def _public(address: IPAddress) -> bool:
    return (address.is_global and not address.is_private and not address.is_reserved
            and not address.is_loopback and not address.is_link_local)


def _with_embedded(address: IPAddress) -> list[IPAddress]:
    """The address and the IPv4 addresses an IPv6 one carries (mapped, 6to4, NAT64)."""
    out: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        for inner in (address.ipv4_mapped, address.sixtofour):
            if inner is not None:
                out.append(inner)
        if address in _NAT64:
            out.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return out


def literal_address(host: str) -> IPAddress | None:
    """The address a host names without DNS (``127.1`` and ``0x7f.1`` included), else ``None``."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _parts(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("only http and https addresses with a host name are used")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("the port is not a number between 0 and 65535") from None
    return parts.scheme, parts.hostname, port


def check_url(url: str, policy: TargetPolicy) -> None:
    """What can be known without DNS: scheme, host, and a literal or local address."""
    _, host, _ = _parts(url)
    address = literal_address(host)
    if host == "localhost" or host.endswith(".localhost"):
        address = ipaddress.IPv4Address("127.0.0.1")
    if address is not None and not policy.permits(address):
        raise TargetRefused("the address is private, loopback, link-local or reserved")


def check_webhooks(urls: list[str], policy: TargetPolicy) -> None:
    """Refuse a spec's webhooks the server may not post to (422 naming each one)."""
    issues = []
    for index, url in enumerate(urls):
        try:
            check_url(url, policy)
        except TargetRefused as exc:
            issues.append(Issue(f"notify.webhook[{index}]", str(exc), FIX))
    if issues:
        raise ValidationFailed("a webhook address is not allowed", issues=issues,
                               key="monitor.webhook_address_not_allowed")


def resolve(url: str, policy: TargetPolicy) -> Target:
    """Resolve the webhook's host now and check every address it has."""
    scheme, host, port = _parts(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise TargetRefused("the host name does not resolve") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses or not all(policy.permits(a) for a in addresses):
        raise TargetRefused("the host resolves to an address that is not allowed")
    chosen = addresses[0]
    parts = urlsplit(url.strip())
    userinfo = parts.netloc.rpartition("@")[0]
    shown = f"[{chosen}]" if chosen.version == 6 else str(chosen)
    pinned = parts._replace(netloc=f"{userinfo + '@' if userinfo else ''}{shown}:{port}").geturl()
    default_port = port == (443 if scheme == "https" else 80)
    host_name = f"[{host}]" if ":" in host else host
    return Target(pinned, host_name if default_port else f"{host_name}:{port}", host, chosen)
