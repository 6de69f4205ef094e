"""A TCP proxy on loopback that makes a network slow: each direction of each connection is
delayed by its own one-way time with jitter, the bytes kept in order (as TCP keeps them). Tests
put it between real websocket clients and a live server to race phones on 300 ms against
laptops on 10 ms (issue: fair takes)."""

from __future__ import annotations

import asyncio
import contextlib
import random


class LatencyProxy:
    """Listens on 127.0.0.1 (``port`` once started) and forwards to ``target``, adding
    ``up_ms`` (client → server) and ``down_ms`` (server → client), each ± ``jitter_ms``."""

    def __init__(
        self,
        target: tuple[str, int],
        *,
        up_ms: float,
        down_ms: float,
        jitter_ms: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.target = target
        self.up_ms, self.down_ms, self.jitter_ms = up_ms, down_ms, jitter_ms
        self.rng = random.Random(seed)
        self.port: int | None = None
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    async def __aenter__(self) -> LatencyProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc) -> None:
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        await self._server.wait_closed()

    def url(self, base_url: str) -> str:
        """``base_url`` (http://127.0.0.1:PORT) through this proxy."""
        scheme, _, _rest = base_url.partition("://")
        return f"{scheme}://127.0.0.1:{self.port}"

    async def _serve(self, client_r, client_w) -> None:
        server_r, server_w = await asyncio.open_connection(*self.target)
        pumps = [
            asyncio.create_task(self._pump(client_r, server_w, self.up_ms)),
            asyncio.create_task(self._pump(server_r, client_w, self.down_ms)),
        ]
        self._tasks.update(pumps)
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pump in pumps:
                pump.cancel()
                self._tasks.discard(pump)
            for writer in (client_w, server_w):
                writer.close()

    async def _pump(self, reader, writer, delay_ms: float) -> None:
        """Read as bytes come; deliver each chunk at its due time, never before the previous."""
        loop = asyncio.get_running_loop()
        due: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while True:
                at, chunk = await due.get()
                if chunk is None:
                    writer.write_eof() if writer.can_write_eof() else None
                    return
                await asyncio.sleep(max(0.0, at - loop.time()))
                writer.write(chunk)
                await writer.drain()

        sender = asyncio.create_task(deliver())
        self._tasks.add(sender)
        last = 0.0
        try:
            while chunk := await reader.read(65536):
                wobble = self.rng.uniform(-self.jitter_ms, self.jitter_ms)
                last = max(last, loop.time() + max(0.0, delay_ms + wobble) / 1000)
                due.put_nowait((last, chunk))
            due.put_nowait((last, None))
            await sender
        finally:
            sender.cancel()
            self._tasks.discard(sender)
