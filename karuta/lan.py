"""A class on the local network: which addresses phones can reach, and the join link's host.

`make run HOST=0.0.0.0` serves every interface (the Makefile passes the bound address as
LISTEN_HOST). The teacher still opens the host page as http://127.0.0.1:8000/, and a link built
from that address leads each phone to itself: the join link and its QR use the machine's LAN
address instead. PUBLIC_URL (a proxy's name, say) overrides the choice.

Run as ``python -m karuta.lan HOST PORT`` it prints where the class joins (`make run` does).
"""

from __future__ import annotations

import ipaddress
import socket
import sys

WILDCARDS = frozenset({"0.0.0.0", "::", "[::]", "*"})


def split_host(host: str) -> tuple[str, str]:
    """``"127.0.0.1:8000"`` → ("127.0.0.1", "8000"); ``"[::1]:8000"`` → ("::1", "8000")."""
    host = host.strip()
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, rest.removeprefix(":")
    if host.count(":") == 1:
        name, _, port = host.partition(":")
        return name, port
    return host, ""


def is_loopback(host: str) -> bool:
    """True for a host (with or without its port) only this computer can reach."""
    name = split_host(host)[0].lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def serves_network(listen_host: str) -> bool:
    """True when the server listens on more than loopback (all interfaces, or a LAN address)."""
    listen_host = (listen_host or "").strip()
    return bool(listen_host) and (listen_host in WILDCARDS or not is_loopback(listen_host))


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other phones may reach, the default route's first.

    No packet is sent: connecting a UDP socket only asks the kernel which interface it would
    use. Machines without a default route fall back to what their host name resolves to."""
    found: list[str] = []
    for probe in ("192.0.2.1", "10.255.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                found.append(udp.getsockname()[0])
        except OSError:
            pass
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        found += [info[4][0] for info in infos]
    except OSError:
        pass
    return list(dict.fromkeys(address for address in found if _usable(address)))


def join_host(request_host: str, listen_host: str, lan: list[str]) -> str:
    """The host (with port) for links that phones open.

    The address the page was opened with, unless that is loopback while the server listens
    on the network: then the listened address, or for a wildcard the first LAN address,
    with the page's port."""
    if not is_loopback(request_host) or not serves_network(listen_host):
        return request_host
    if listen_host not in WILDCARDS:
        chosen = listen_host
    elif lan:
        chosen = lan[0]
    else:
        return request_host
    port = split_host(request_host)[1]
    if ":" in chosen:
        chosen = f"[{chosen}]"
    return f"{chosen}:{port}" if port else chosen


def join_base_url(request) -> str:
    """``scheme://host[:port]`` for the join link and QR of a page opened by ``request``."""
    from django.conf import settings

    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL
    host = join_host(request.get_host(), settings.LISTEN_HOST, settings.LAN_ADDRESSES)
    return f"{request.scheme}://{host}"


def main(argv: list[str]) -> None:
    listen = argv[0] if argv else "127.0.0.1"
    port = argv[1] if len(argv) > 1 else "8000"
    here = "127.0.0.1" if listen in WILDCARDS else listen
    print(f"Value Karuta on this computer: http://{here}:{port}/")
    if not serves_network(listen):
        print("Phones cannot reach it. For a class on this network: make run HOST=0.0.0.0")
        return
    addresses = lan_addresses() if listen in WILDCARDS else [listen]
    for address in addresses:
        host = f"[{address}]" if ":" in address else address
        print(f"Phones on this network: http://{host}:{port}/ (the host page shows the room's QR)")
    if not addresses:
        print("No network address found: is this computer connected to the class's network?")


if __name__ == "__main__":
    main(sys.argv[1:])
