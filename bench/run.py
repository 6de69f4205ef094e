"""`make bench`: start the server on loopback, measure, print the figures and save them.

    python -m bench.run [--quick] [--out bench/results]

Figures (median and p99 of per-event samples, in milliseconds, unless said otherwise):
1. take-to-broadcast latency of a real game, rooms of 40 and 500, in-memory and Redis layers;
2. the same fan-out by a bare Channels relay consumer, and the ratio of ours to it;
3. how many players one daphne process holds (rooms of 40, all playing) before p99 passes
   100 ms, and two processes on Redis;
4. survey import, tables, statistics and CSV export over 100,000 responses: time and peak memory.
"""

import argparse
import asyncio
import json
import platform
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench.fanout import relay_fanout
from bench.game import take_to_broadcast
from bench.servers import ROOT, base_env, daphne, manage, redis_server
from bench.stats import summary
from bench.surveys import survey_figures

LIMIT_MS = 100.0
# Seconds between a take and the next card in the capacity test: people play a card every
# 10-20 s, so 2 s is a room playing several times faster than any class does.
PACE = 2.0


def machine() -> str:
    import os

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def fresh_env(workdir: Path, **extra) -> dict:
    env = base_env(workdir, {"BENCH_LOG_DIR": str(workdir), **extra})
    manage(env, "migrate", "--noinput")
    manage(env, "load_deck")
    return env


def game_latency(urls, env, players: int, games: int, cards: int) -> dict:
    samples: list[float] = []
    for seed in range(games):
        result = asyncio.run(
            take_to_broadcast(
                urls, env, rooms=1, players=players, cards=cards, seed=seed, collect=samples
            )  # fmt: skip
        )
        del result
    return summary(samples)


def relay_latency(url: str, clients: int, samples: int) -> dict:
    return asyncio.run(relay_fanout(url, clients, samples, room=f"r{clients}"))


def capacity(urls, env, steps: list[int], pace: float) -> list[dict]:
    """Rooms of 40 playing at once, more rooms each step, until p99 passes the limit."""
    rows = []
    for rooms in steps:
        figures = asyncio.run(
            take_to_broadcast(urls, env, rooms=rooms, players=40, cards=12, pace=pace)
        )
        rows.append({"players": rooms * 41, "rooms": rooms, **figures})
        print(f"    {rooms:3d} rooms, {rooms * 41:5d} clients: p50 {figures['p50']:6.1f}"
              f"  p99 {figures['p99']:6.1f} ms", flush=True)  # fmt: skip
        if figures["p99"] > LIMIT_MS:
            break
    return rows


def held(rows: list[dict]) -> int:
    ok = [row["players"] for row in rows if row["p99"] <= LIMIT_MS]
    return max(ok) if ok else 0


def fmt(fig: dict) -> str:
    return f"{fig['p50']:7.1f} / {fig['p99']:7.1f}  (n={fig['n']})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples, smaller loads")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--skip-surveys", action="store_true")
    args = parser.parse_args()
    quick = args.quick
    results: dict = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    print(f"Machine: {results['machine']}\n", flush=True)
    layers = {"in-memory": None}
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server())
        if redis_url:
            layers["redis"] = redis_url
        else:
            print("redis-server not installed: Redis figures skipped\n")
        latency = results.setdefault("latency", {})
        for layer, url in layers.items():
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            env = fresh_env(work, **({"REDIS_URL": url} if url else {}))
            print(f"[1-2] take-to-broadcast vs bare relay, {layer} layer (p50 / p99 ms)")
            with daphne(env) as urls, daphne(env, "bench.relay_asgi:application") as relay:
                for players, games in ((40, 3 if quick else 8), (500, 1 if quick else 2)):
                    ours = game_latency(urls, env, players, games, cards=24)
                    bare = relay_latency(relay[0], players + 1, ours["n"])
                    ratio = {k: ours[k] / bare[k] for k in ("p50", "p99")}
                    latency[f"{layer} {players}"] = {"game": ours, "relay": bare, "ratio": ratio}
                    print(
                        f"  room of {players:3d}: game {fmt(ours)}   relay {fmt(bare)}   "
                        f"ratio p50 {ratio['p50']:.2f} p99 {ratio['p99']:.2f}",
                        flush=True,
                    )
        print(f"\n[3] players one process holds at p99 <= {LIMIT_MS:.0f} ms (rooms of 40)")
        steps = [5, 10, 15] if quick else [10, 20, 25, 30, 35, 40]
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = fresh_env(work)
        with daphne(env) as urls:
            rows = capacity(urls, env, steps, pace=PACE)
        results["capacity_one_process"] = {"rows": rows, "held": held(rows)}
        print(f"  one process, in-memory: {held(rows)} players held")
        if redis_url:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            env = fresh_env(work, REDIS_URL=redis_url)
            with daphne(env, count=2) as urls:
                rows = capacity(urls, env, steps, pace=PACE)
            results["capacity_two_processes_redis"] = {"rows": rows, "held": held(rows)}
            print(f"  two processes on Redis: {held(rows)} players held")
    if not args.skip_surveys:
        print("\n[4] surveys over 100,000 responses (wall s, peak MiB)")
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            env = fresh_env(work)
            figures = survey_figures(env, work, rows=10_000 if quick else 100_000)
        for name, fig in figures.items():
            print(f"  {name:52s} {fig['seconds']:7.2f} s {fig['peak_mib']:7.0f} MiB")
        results["surveys"] = figures
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.out / f"bench-{stamp}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"\nSaved {path}")


if __name__ == "__main__":
    main()
