"""`make bench`: start the server on loopback, measure, print the figures and save them.

    BENCH=surveys make bench   (only the surveys part: python -m bench.surveys --help)

    python -m bench.run [--quick] [--pairs N] [--skip-surveys] [--out bench/results]

Figures (median and p99 of per-event samples, in milliseconds, unless said otherwise):
1. a room of 40: take-to-broadcast latency of a real game of 24 cards and the fan-out of a bare
   Channels relay consumer with as many sends, run alternately (game, relay, game, relay, ...)
   so both see the same machine; each pair's ratio, then the median ratio over the pairs and
   its range; in-memory and Redis layers. The game's samples exclude each card's fair-race
   decision window, whose median and p99 are printed beside them;
2. a room of 500, the same way, its p99 against the 100 ms target;
3. how many players one daphne process holds (rooms of 40, all playing) before p99 passes
   100 ms, and two processes on Redis; then a hall: one room of 2,000 players in 8 teams over
   two processes on Redis (bench/hall.py), its p50/p99 without the decision window against the
   250 ms target, and the largest message of each type a tab got;
4. the resident memory of an idle game process, and of the same process after a research page;
5. survey import, tables, statistics and CSV export over 100,000 responses: time and peak memory;
6. a tab's sync while 60 sockets from another address flood snapshots, with the per-address
   budget on and off (bench/flood.py): medians, and the flood/quiet ratio of each.
Each target is printed with PASS or FAIL, and again together at the end.
"""

import argparse
import asyncio
import json
import platform
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.fanout import relay_fanout
from bench.flood import sync_under_flood
from bench.game import take_to_broadcast
from bench.hall import TARGET_P99_MS, hall_figures, print_hall
from bench.memory import memory_figures
from bench.servers import ROOT, base_env, daphne, manage, redis_server
from bench.stats import spread, summary
from bench.surveys import print_figures, survey_figures

LIMIT_MS = 100.0
RATIO_TARGET = 1.5  # a room of 40: median p99 of the game over the bare relay's
PLAYERS_TARGET = 1000  # players one process holds at p99 <= LIMIT_MS
RSS_TARGET_MIB = 100.0  # an idle game process
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
    import sqlite3

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    database = f"SQLite {sqlite3.sqlite_version}"
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        database += " (PostgreSQL from DATABASE_URL: the benchmark's own servers use SQLite)"
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python "
            f"{platform.python_version()}, {database}")  # fmt: skip


def fresh_env(workdir: Path, **extra) -> dict:
    env = base_env(workdir, {"BENCH_LOG_DIR": str(workdir), **extra})
    manage(env, "migrate", "--noinput")
    manage(env, "load_deck")
    return env


def latency_pairs(urls, relay_url: str, env, players: int, pairs: int) -> dict:
    """``pairs`` times: one game of 24 cards, then the bare relay with as many sends. Running
    them alternately puts the machine's noise (two noisy cores) on both sides alike."""
    game_samples: list[float] = []
    relay_samples: list[float] = []
    windows: list[float] = []
    rows = []
    for number in range(pairs):
        game = asyncio.run(
            take_to_broadcast(urls, env, rooms=1, players=players, cards=24, seed=number,
                              collect=game_samples, windows_out=windows)
        )  # fmt: skip
        relay = asyncio.run(
            relay_fanout(relay_url, players + 1, game["n"], room=f"r{players}-{number}",
                         collect=relay_samples)
        )  # fmt: skip
        ratio = {k: game[k] / relay[k] for k in ("p50", "p99")}
        rows.append({"game": game, "relay": relay, "ratio": ratio})
        print(f"    pair {number + 1}: game {fmt(game)}   relay {fmt(relay)}   "
              f"ratio p50 {ratio['p50']:.2f} p99 {ratio['p99']:.2f}   "
              f"(window {game['window']['p50']:.1f} / {game['window']['p99']:.1f})",
              flush=True)  # fmt: skip
    return {
        "pairs": rows,
        "game": summary(game_samples),
        "window": summary(windows),
        "relay": summary(relay_samples),
        "ratio": {k: spread([row["ratio"][k] for row in rows]) for k in ("p50", "p99")},
    }


def warm_up(urls, relay_url: str, env) -> None:
    """A short game and a few relay sends, not counted: first connections, imports, caches."""
    asyncio.run(take_to_broadcast(urls, env, rooms=1, players=40, cards=4, seed=99))
    asyncio.run(relay_fanout(relay_url, 41, 10, room="warm-up"))


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


def spread_text(fig: dict) -> str:
    return f"{fig['median']:.2f} ({fig['min']:.2f}-{fig['max']:.2f})"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


class Targets:
    """Each target's figure, printed where it is measured and again together at the end."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def check(self, name: str, value: float, ok: bool, shown: str) -> str:
        self.rows.append({"target": name, "value": value, "pass": ok, "shown": shown})
        return f"{name}: {shown}  {verdict(ok)}"

    def print(self) -> None:
        print("\nTargets")
        for row in self.rows:
            print(f"  {verdict(row['pass'])}  {row['target']}: {row['shown']}")


def measure_latency(layer: str, url: str | None, stack: ExitStack, args, targets) -> dict:
    work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    env = fresh_env(work, **({"REDIS_URL": url} if url else {}))
    figures = {}
    with daphne(env) as urls, daphne(env, "bench.relay_asgi:application") as relay:
        warm_up(urls, relay[0], env)
        print(f"[1] room of 40, game and bare relay alternately, {layer} layer (p50 / p99 ms)")
        room = figures["40"] = latency_pairs(urls, relay[0], env, 40, args.pairs)
        ratio = room["ratio"]
        print(f"  median ratio p50 {spread_text(ratio['p50'])}  p99 {spread_text(ratio['p99'])}")
        print(f"  fair races' decision window p50 / p99: {fmt(room['window'])} "
              "(taken off the game's samples above)")  # fmt: skip
        name = f"room of 40, {layer}: median p99 game/relay <= {RATIO_TARGET}"
        print("  " + targets.check(name, ratio["p99"]["median"],
                                   ratio["p99"]["median"] <= RATIO_TARGET,
                                   spread_text(ratio["p99"])), flush=True)  # fmt: skip
        print(f"[2] room of 500, {layer} layer (p50 / p99 ms)")
        room = figures["500"] = latency_pairs(urls, relay[0], env, 500, 1 if args.quick else 2)
        p99 = room["game"]["p99"]
        print(f"  all games {fmt(room['game'])}   relay {fmt(room['relay'])}")
        name = f"room of 500, {layer}: p99 <= {LIMIT_MS:.0f} ms"
        print("  " + targets.check(name, p99, p99 <= LIMIT_MS, f"{p99:.1f} ms") + "\n")
    return figures


@contextmanager
def flood_server(extra: dict):
    with tempfile.TemporaryDirectory() as tmp:
        env = fresh_env(Path(tmp), **extra)
        with daphne(env) as urls:
            yield urls[0], env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples, smaller loads")
    parser.add_argument("--pairs", type=int, help="game/relay pairs for the room of 40 "
                        "(default 5, 3 with --quick)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--skip-surveys", action="store_true")
    args = parser.parse_args()
    quick = args.quick
    args.pairs = args.pairs or (3 if quick else 5)
    targets = Targets()
    results: dict = {
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "settings": {"quick": quick, "pairs": args.pairs},
    }
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
            for players, figures in measure_latency(layer, url, stack, args, targets).items():
                latency[f"{layer} {players}"] = figures
        print(f"[3] players one process holds at p99 <= {LIMIT_MS:.0f} ms (rooms of 40)")
        steps = [10, 25] if quick else [10, 20, 25, 30, 35, 40]
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = fresh_env(work)
        with daphne(env) as urls:
            rows = capacity(urls, env, steps, pace=PACE)
        results["capacity_one_process"] = {"rows": rows, "held": held(rows)}
        name = f"one process, in-memory: holds >= {PLAYERS_TARGET:,} players"
        print("  " + targets.check(name, held(rows), held(rows) >= PLAYERS_TARGET,
                                   f"{held(rows)} players held"))  # fmt: skip
        if redis_url:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            env = fresh_env(work, REDIS_URL=redis_url)
            with daphne(env, count=2) as urls:
                rows = capacity(urls, env, steps, pace=PACE)
            results["capacity_two_processes_redis"] = {"rows": rows, "held": held(rows)}
            print(f"  two processes on Redis: {held(rows)} players held")
            players = 500 if quick else 2000
            print(f"[3b] a hall: one room of {players:,} players, two processes on Redis")
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            env = fresh_env(work, REDIS_URL=redis_url)
            hall = results["hall"] = hall_figures(env, players=players, cards=12 if quick else 24)
            shown = print_hall(hall, players)
            name = f"hall of {players:,}, Redis, 2 processes: p99 <= {TARGET_P99_MS:.0f} ms"
            print("  " + targets.check(name, hall["p99"], hall["p99"] <= TARGET_P99_MS, shown))
    print("\n[4] resident memory (VmRSS) of one game server process, in-memory layer")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        memory = results["memory"] = memory_figures(fresh_env(work), work)
    idle = memory["idle_game_mib"]
    name = f"idle game process <= {RSS_TARGET_MIB:.0f} MiB"
    print("  " + targets.check(name, idle, idle <= RSS_TARGET_MIB, f"{idle:.1f} MiB")
          + "  (after /healthz and one host's websocket hello)")  # fmt: skip
    print(f"  after one research page: {memory['after_research_page_mib']:.1f} MiB"
          f"  (a staff user opened {memory['research_page']}, 200 responses)")  # fmt: skip
    if not args.skip_surveys:
        print("\n[5] surveys over 100,000 responses (wall s, peak MiB)")
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            env = fresh_env(work)
            rows = 10_000 if quick else 100_000
            figures = survey_figures(env, work, rows=rows, repeats=1 if quick else 3)
        print_figures(figures, rows, targets)
        results["surveys"] = figures
    print("\n[6] a tab's sync while 60 sockets from another address flood snapshots (p50 / p99 ms)")
    flood = results["sync_under_flood"] = sync_under_flood(flood_server, 20 if quick else 40)
    for name, fig in flood.items():
        ratio = fig["flood"]["p50"] / fig["quiet"]["p50"]
        print(f"  {name:10s} quiet {fmt(fig['quiet'])}   flooded {fmt(fig['flood'])}"
              f"   median ratio {ratio:.1f}x")  # fmt: skip
    targets.print()
    results["targets"] = targets.rows
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.out / f"bench-{stamp}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"\nSaved {path}")


if __name__ == "__main__":
    main()
