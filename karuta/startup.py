"""Work a server process starts with (its garbage collector's schedule, karuta/garbage.py; the
deadline watch), however it is served.

- daphne has no ASGI lifespan: its Twisted reactor runs our hook once it is running;
- servers with lifespan (uvicorn) send ``lifespan.startup``.

In-process tests (channels' WebsocketCommunicator) start neither: they drive deadlines
themselves.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

from karuta import garbage


class StartWithServer:
    """ASGI middleware that runs ``on_start()`` (sync, inside the server's event loop) once."""

    def __init__(self, app, on_start: Callable[[], None]) -> None:
        self.app = app
        self.on_start = on_start
        self.started = False
        if "daphne.server" in sys.modules:  # imported by daphne's command line, not by tests
            from twisted.internet import reactor

            reactor.callWhenRunning(lambda: asyncio.get_event_loop().call_soon(self.start))

    def start(self) -> None:
        if not self.started:
            self.started = True
            garbage.schedule()  # karuta/garbage.py: full passes on a clock, not on load
            self.on_start()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.start()
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        return await self.app(scope, receive, send)
