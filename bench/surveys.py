"""Survey figures: import, tables, statistics and CSV export over 100,000 responses.

Every step runs as the real management command in its own process, so its wall time and its
peak memory (maximum resident set size, from wait4) are the command's alone.
"""

import csv
import os
import random
import subprocess
import sys
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


def run(env: dict, *args: str) -> dict:
    """Run a manage.py command; its wall seconds and peak RSS in MiB."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                                stdout=devnull, stderr=subprocess.PIPE)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args[0]} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024}


def survey_figures(env: dict, workdir: Path, rows: int = 100_000) -> dict[str, dict]:
    rng = random.Random(11)
    figures = {}
    q1, q2, small = workdir / "q1.csv", workdir / "q2.csv", workdir / "q1-small.csv"
    write_q1(q1, rows, "bench", rng)
    write_q2(q2, rows, "bench", rng)
    write_q1(small, rows // 10, "bench-small", rng)
    figures[f"import Q1 ({rows:,} rows)"] = run(
        env, "survey_import", str(q1), "--questionnaire", "1", "--group", "bench"
    )
    figures[f"import Q2 ({rows:,} rows)"] = run(
        env, "survey_import", str(q2), "--questionnaire", "2", "--group", "bench"
    )
    run(env, "survey_import", str(small), "--questionnaire", "1", "--group", "bench-small")
    figures[f"tables ({2 * rows:,} responses)"] = run(
        env, "survey_tables", "--group", "bench", "--format", "csv"
    )
    figures[f"statistics ({2 * rows:,} responses)"] = run(
        env, "survey_stats", "--group", "bench", "--format", "csv"
    )
    figures[f"statistics + comparison ({2 * rows:,} vs {rows // 10:,})"] = run(
        env, "survey_stats", "--group", "bench", "--compare", "bench-small", "--format", "csv"
    )
    figures[f"export wide ({rows // 10:,} rows)"] = run(
        env,
        "survey_export",
        "--out",
        str(workdir / "small.csv"),
        "--group",
        "bench-small",
        "--layout",
        "wide",
    )
    figures[f"export wide ({rows:,} rows)"] = run(
        env,
        "survey_export",
        "--out",
        str(workdir / "wide.csv"),
        "--group",
        "bench",
        "--layout",
        "wide",
        "--questionnaire",
        "1",
    )
    figures[f"export long ({rows:,} respondents)"] = run(
        env,
        "survey_export",
        "--out",
        str(workdir / "long.csv"),
        "--group",
        "bench",
        "--layout",
        "long",
        "--questionnaire",
        "1",
    )
    figures["baseline: manage.py check"] = run(env, "check")
    return figures
