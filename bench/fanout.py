"""Fan-out latency of the bare relay: one send, time until every client has received it."""

import asyncio
import json
import time

import websockets

from bench.stats import quiet_collector, summary


async def _connect_all(url: str, count: int) -> list:
    clients = []
    for start in range(0, count, 50):  # connect in batches so the listen backlog keeps up
        batch = [websockets.connect(url, max_size=2**20, open_timeout=30)
                 for _ in range(min(50, count - start))]  # fmt: skip
        clients += await asyncio.gather(*batch)
    return clients


async def relay_fanout(
    base_url: str, clients: int, samples: int, room: str = "r", collect: list | None = None
) -> dict:
    """p50/p99 ms from one client's send until all ``clients`` received the message (the
    samples are also appended to ``collect``)."""
    url = base_url.replace("http://", "ws://") + f"/ws/relay/{room}/"
    sockets = await _connect_all(url, clients)
    pending: dict[int, int] = {}
    done: dict[int, asyncio.Future] = {}

    async def listen(ws) -> None:
        async for raw in ws:
            seq = json.loads(raw)["seq"]
            pending[seq] -= 1
            if pending[seq] == 0:
                done[seq].set_result(time.perf_counter())

    listeners = [asyncio.create_task(listen(ws)) for ws in sockets]
    latencies = []
    loop = asyncio.get_running_loop()
    with quiet_collector():
        try:
            for seq in range(samples + 5):
                pending[seq] = clients
                done[seq] = loop.create_future()
                sent = time.perf_counter()
                await sockets[0].send(json.dumps({"seq": seq}))
                finished = await asyncio.wait_for(done[seq], 30)
                if seq >= 5:  # the first few warm up the caches
                    latencies.append((finished - sent) * 1000)
                await asyncio.sleep(0.01)
        finally:
            for task in listeners:
                task.cancel()
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    if collect is not None:
        collect.extend(latencies)
    return summary(latencies)
