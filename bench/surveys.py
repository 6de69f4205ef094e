"""Survey figures: import, tables, statistics and CSV export over 100,000 responses.

Every step runs as the real management command in its own process, so its wall time and its
peak memory (maximum resident set size, from wait4) are the command's alone.
"""

import argparse
import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.servers import ROOT

VALUES = ["Use value", "Exchange value", "Firm value", "Corporate value", "Linking value",
          "Link value", "Sensory value", "Environmental value", "Experience value"]  # fmt: skip
E2 = ["pretty", "pleasant", "bright", "cool", "sober", "quiet"]
F2 = ["when taking a card", "when looking for a card", "when deciding the winner"]


def write_q1(path: Path, rows: int, group: str, rng: random.Random) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["respondent", "group", "gender", "age_band",
                      "A", "A_reason", "B", "C", "D", "E", "F", "G"])  # fmt: skip
        for i in range(rows):
            out.writerow([
                f"r{i}", group, rng.choice(["man", "woman", "no response"]),
                rng.choice(["20s", "30s", "40s", "unknown"]),
                rng.choice(["Satisfied", "Neither", "Dissatisfied", ""]),
                rng.choice(["", "fun", "=cmd|' /C calc'!A0", "hard to read"]),
                rng.choice(["Bad", "Normal", "Good"]), rng.choice(["Bad", "Normal", "Good"]),
                rng.choice(["100", "80%", "60", "40", "20", "0"]),
                rng.choice(["Bad", "Normal", "Good"]), rng.choice(VALUES),
                rng.choice(["", "", "great icebreaker", "more cards please"]),
            ])  # fmt: skip


def write_q2(path: Path, rows: int, group: str, rng: random.Random) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["respondent", "group", "gender", "age_band",
                      "A2", "B2", "C2", "D2", "E2", "F2", "G2"])  # fmt: skip
        for i in range(rows):
            out.writerow([
                f"s{i}", group, rng.choice(["man", "woman", "no response"]),
                rng.choice(["20s", "30s", "unknown"]),
                ";".join(rng.sample(VALUES, rng.randint(1, 3))),
                rng.randint(1, 5), rng.choice(["", "I could explain it"]), rng.randint(1, 5),
                ";".join(rng.sample(E2, rng.randint(1, 2))),
                ";".join(rng.sample(F2, rng.randint(1, 2))), rng.choice(["", "thanks"]),
            ])  # fmt: skip


def run(env: dict, *args: str, output: bool = False) -> dict:
    """Run a manage.py command; its wall seconds and peak RSS in MiB (and stdout if asked)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.PIPE)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{args[0]} failed: {proc.stderr.read().decode()[-2000:]}")
        proc.stderr.close()
        out.seek(0)
        text = out.read().decode() if output else ""
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024, "stdout": text}


def median_of(env: dict, repeats: int, *args: str) -> dict:
    """The median wall time and peak RSS of ``repeats`` runs of a command."""
    runs = [run(env, *args) for _ in range(repeats)]
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mib": statistics.median(r["peak_mib"] for r in runs),
        "runs": [round(r["seconds"], 3) for r in runs],
    }


PAGE_TIMES = """
import json, time
from django.contrib.auth import get_user_model
from django.test import Client
from surveys.models import Group

staff = {{"is_staff": True, "is_superuser": True}}
user, _ = get_user_model().objects.get_or_create(username="bench-staff", defaults=staff)
client = Client()
client.force_login(user)
path = "/en/survey/research/group/%d/" % Group.objects.get(name={group!r}).pk
times = []
for _ in range({repeats}):
    started = time.perf_counter()
    response = client.get(path)
    times.append(time.perf_counter() - started)
    assert response.status_code == 200, response.status_code
print(json.dumps(times))
"""


def page_seconds(env: dict, group: str, repeats: int) -> dict:
    """The research group page through Django's test client, ``repeats`` times in one
    process: the median of all but the first, which loads pandas and scipy (and counts the
    answers if survey_tables has not)."""
    done = run(env, "shell", "-c", PAGE_TIMES.format(group=group, repeats=repeats), output=True)
    times = json.loads(done["stdout"].strip().splitlines()[-1])
    return {"seconds": statistics.median(times[1:] or times), "first": times[0], "runs": times,
            "peak_mib": done["peak_mib"]}  # fmt: skip


def import_figures(env: dict, path: Path, questionnaire: int, group: str) -> dict:
    done = run(env, "survey_import", str(path), "--questionnaire", str(questionnaire),
               "--group", group, "-v", "2", output=True)  # fmt: skip
    match = re.search(r"longest batch transaction: ([0-9.]+) s", done["stdout"])
    return {**done, "longest_batch": float(match.group(1)) if match else float("nan")}


def survey_figures(env: dict, workdir: Path, rows: int = 100_000, repeats: int = 3) -> dict:
    """Figures over ``rows`` responses to each questionnaire (group "bench") and a tenth of
    them (group "bench-small"), each command the median of ``repeats`` runs."""
    rng = random.Random(11)
    small_rows = rows // 10
    paths = {}
    for group, count in (("bench", rows), ("bench-small", small_rows)):
        for number, write in ((1, write_q1), (2, write_q2)):
            paths[group, number] = workdir / f"{group}-q{number}.csv"
            write(paths[group, number], count, group, rng)
    figures: dict[str, dict] = {}
    for (group, number), path in paths.items():
        count = rows if group == "bench" else small_rows
        figures[f"import Q{number} ({count:,} rows)"] = import_figures(env, path, number, group)
    check = figures["baseline: manage.py check"] = median_of(env, repeats, "check")
    for group, count in (("bench-small", small_rows), ("bench", rows)):
        size = f"{2 * count:,} responses"
        # The first run after the import counts the answers and keeps the counts
        # (surveys/summaries.py); the runs after it read them, until the answers change.
        first = run(env, "survey_tables", "--group", group, "--format", "csv")
        first["beyond_check"] = first["seconds"] - check["seconds"]
        figures[f"survey_tables, first: counts ({size})"] = first
        tables = median_of(env, repeats, "survey_tables", "--group", group, "--format", "csv")
        tables["beyond_check"] = tables["seconds"] - check["seconds"]
        figures[f"survey_tables, counts kept ({size})"] = tables
        for layout in ("wide", "long"):
            out = str(workdir / f"{group}-{layout}.csv")
            figures[f"export {layout} ({size})"] = median_of(
                env, repeats, "survey_export", "--out", out, "--group", group, "--layout", layout
            )
        figures[f"research page ({size})"] = page_seconds(env, group, repeats + 1)
    figures[f"statistics ({2 * rows:,} responses)"] = median_of(
        env, 1, "survey_stats", "--group", "bench", "--format", "csv"
    )
    return figures


def print_figures(figures: dict, rows: int, targets=None) -> None:
    for name, fig in figures.items():
        extra = ""
        if "beyond_check" in fig:
            extra = f"  beyond check {fig['beyond_check']:.2f} s"
        if "longest_batch" in fig:
            extra = f"  longest batch transaction {fig['longest_batch'] * 1000:.0f} ms"
        if "first" in fig:
            extra = f"  (first request {fig['first']:.2f} s)"
        print(f"  {name:44s} {fig['seconds']:7.2f} s {fig['peak_mib']:7.0f} MiB{extra}")
    big, small = f"{2 * rows:,} responses", f"{2 * (rows // 10):,} responses"
    for what in ("survey_tables, counts kept", "export wide", "export long"):
        ratio = figures[f"{what} ({big})"]["peak_mib"] / figures[f"{what} ({small})"]["peak_mib"]
        print(f"  peak memory {what}: {big} / {small} = {ratio:.2f}x")
    if targets is not None:
        tables = figures[f"survey_tables, counts kept ({big})"]["beyond_check"]
        page = figures[f"research page ({big})"]["seconds"]
        batch = max(f.get("longest_batch", 0) for f in figures.values())
        print("  " + targets.check(f"survey_tables ({big}, counts kept) beyond check < 1 s", tables,
                                   tables < 1.0, f"{tables:.2f} s"))  # fmt: skip
        print("  " + targets.check(f"research page ({big}) < 2 s", page, page < 2.0,
                                   f"{page:.2f} s"))  # fmt: skip
        print("  " + targets.check("import: longest batch transaction < 0.5 s", batch,
                                   batch < 0.5, f"{batch * 1000:.0f} ms"))  # fmt: skip


def main() -> None:
    """``python -m bench.surveys`` (or ``BENCH=surveys make bench``): only the surveys part."""
    from bench.run import Targets, fresh_env, machine

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"Machine: {machine()}\n", flush=True)
    print(f"surveys over {args.rows:,} responses per questionnaire (medians of {args.repeats})")
    targets = Targets()
    with tempfile.TemporaryDirectory() as tmp:
        env = fresh_env(Path(tmp))
        figures = survey_figures(env, Path(tmp), rows=args.rows, repeats=args.repeats)
    print_figures(figures, args.rows, targets)
    targets.print()


if __name__ == "__main__":
    main()
