"""`powderkeg watch --once` over one large feed: time, CPU and memory per 1,000 entries.

    python bench/watch_feed.py [--items 10000] [--seed 7] [--every 1000] [--dated] [--against DIR]

A feed on 127.0.0.1 lists ``--items`` entries, each linking to its own page: a distinct
article made of five sentences drawn from the demo corpus, with its own figures (so few
are near-duplicates of each other). With ``--dated`` each entry has a ``pubDate``, the
entries spread in order over the ``--days`` (240) days before last week, and each article's
countries are swapped for one of six dyads (Serbia-Kosovo, Bosnia-Montenegro, Albania-North
Macedonia, Croatia-Slovenia, Russia-Ukraine, Armenia-Azerbaijan): the alert rules then have
months of history to read, as they do on a real feed. The watcher runs in a child process (packaged alert
rules, ``host_delay`` 0) with this checkout's package; the feed costs it nothing to serve.

While it runs, each ``--every`` entries (read from its progress lines) prints the entries
per second, the CPU seconds per 1,000 entries of the watcher and its coding processes
together, and the watcher's RSS: the cost per entry should stay flat as the store grows.
Then the totals: wall and CPU seconds, peak RSS (of the largest process), entries per
second of the first and the last step. CPU seconds say more than wall time on a busy
machine. ``--against DIR`` then runs the same feed with the package of another checkout
(say a worktree of main) and prints the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from against import command  # noqa: E402

from tests.webserver import Route, WebServer, article_html, rss  # noqa: E402

DEMO = ROOT / "powderkeg" / "demo" / "corpus"
PROGRESS = re.compile(r": (\d+) of (\d+) new entries handled")
TICK = os.sysconf("SC_CLK_TCK")


def sentences() -> list[str]:
    out = []
    for path in sorted(DEMO.glob("*.txt")):
        body = path.read_text("utf-8").split("---")[-1]
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 6]
    return out


#: (name, adjective, capital, people) of each side, put in place of Serbia's and Kosovo's in --dated
DYADS = [
    (("Serbia", "Serbian", "Belgrade", "Serbs"), ("Kosovo", "Kosovo", "Pristina", "Albanians")),
    (
        ("Bosnia", "Bosnian", "Sarajevo", "Bosniaks"),
        ("Montenegro", "Montenegrin", "Podgorica", "Montenegrins"),
    ),
    (
        ("Albania", "Albanian", "Tirana", "Albanians"),
        ("North Macedonia", "Macedonian", "Skopje", "Macedonians"),
    ),
    (("Croatia", "Croatian", "Zagreb", "Croats"), ("Slovenia", "Slovenian", "Ljubljana", "Slovenes")),
    (("Russia", "Russian", "Moscow", "Russians"), ("Ukraine", "Ukrainian", "Kyiv", "Ukrainians")),
    (("Armenia", "Armenian", "Yerevan", "Armenians"), ("Azerbaijan", "Azerbaijani", "Baku", "Azerbaijanis")),
]
ORIGINAL = re.compile(r"\b(Serbia|Serbian|Belgrade|Serbs|Kosovo|Pristina|Albanians)\b")


def swap(text: str, dyad: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
    """``text`` with Serbia's and Kosovo's names put as those of ``dyad``'s two sides."""
    words = dict(zip(DYADS[0][0] + DYADS[0][1], dyad[0] + dyad[1], strict=True))
    return ORIGINAL.sub(lambda m: words[m[0]], text)


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the coding worker processes)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return out


def cpu_seconds(pid: int) -> float:
    """CPU seconds so far of ``pid`` and its descendants (living ones, and those it waited for)."""
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICK


def memory_mb(pid: int, field: str) -> float:
    """A memory figure of ``/proc/PID/status`` (VmRSS: now, VmHWM: the peak so far), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.M)
    return int(found[1]) / 1024 if found else 0.0


@dataclass
class Result:
    label: str
    exit: int = 0
    stored: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    peak: float = 0.0  # of the largest process, watcher or coding worker
    alerts: int = 0  # alerts the console sink printed
    rates: list[float] = field(default_factory=list)  # entries per second of each step
    tail: str = ""


def watch(label: str, source: str, folder: Path, every: int) -> Result:
    """Run the watcher of checkout ``source`` once over the feed in ``folder``, printing each step."""
    db = folder / f"{label}.duckdb"
    args = ["watch", "--once", "--sources", "sources.toml", "--db", str(db)]
    result = Result(label)
    cpu_before = children_cpu()
    print(f"{label} ({source}):")
    print(f"{'entries':>8} {'s':>6} {'entries/s':>9} {'CPU s/1000':>10} {'RSS MB':>7}")
    started = time.perf_counter()
    child = subprocess.Popen(
        command(source, "-mpowderkeg", *args), cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    stdout: list[str] = []
    drain = threading.Thread(target=lambda: stdout.extend(child.stdout), daemon=True)
    drain.start()
    step_at, step_cpu, step_done, tail = started, 0.0, 0, []
    for line in child.stderr:
        tail.append(line)
        result.alerts += line.startswith("ALERT ")
        found = PROGRESS.search(line)
        if not found:
            continue
        result.peak = max([result.peak, *(memory_mb(p, "VmHWM") for p in tree(child.pid))])
        done, total = int(found[1]), int(found[2])
        if done - step_done < every and done < total:
            continue
        now, cpu = time.perf_counter(), cpu_seconds(child.pid)
        rate = (done - step_done) / (now - step_at)
        result.rates.append(rate)
        per_1000 = (cpu - step_cpu) * 1000 / (done - step_done)
        print(
            f"{done:>8} {now - started:>6.0f} {rate:>9.1f} {per_1000:>10.1f} {memory_mb(child.pid, 'VmRSS'):>7.0f}",
            flush=True,
        )
        step_at, step_cpu, step_done = now, cpu, done
    result.exit = child.wait()
    drain.join()
    result.seconds = time.perf_counter() - started
    result.cpu = children_cpu() - cpu_before  # the watcher with its coding processes (it waits for them)
    result.stored = sum(1 for line in stdout if line.split()[:1] in (["new"], ["duplicate"]))
    result.alerts += sum(1 for line in stdout if line.startswith("ALERT "))
    result.tail = "".join(tail[-30:])
    return result


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(r: Result, items: int) -> str:
    first, last = (r.rates[0], r.rates[-1]) if r.rates else (0.0, 0.0)
    return (
        f"{r.label}: exit {r.exit}; {items} items, {r.stored} stored, {r.alerts} alerts; {r.seconds:.0f} s, CPU {r.cpu:.0f} s;"
        f" peak RSS {r.peak:.0f} MB; {r.stored / r.seconds:.1f} entries/s"
        f" (first step {first:.1f}, last {last:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--every", type=int, default=1000, help="entries per printed step")
    parser.add_argument("--dated", action="store_true", help="dated entries over months, six dyads")
    parser.add_argument("--days", type=int, default=240, help="with --dated: days the entries spread over")
    parser.add_argument("--against", metavar="DIR", help="then the same with the package of checkout DIR")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = sentences()
    folder = Path(tempfile.mkdtemp(prefix="pk-watch-feed-"))
    first_day = dt.date.today() - dt.timedelta(days=args.days + 7)
    results = []
    try:
        with WebServer() as web:
            items = []
            for i in range(args.items):
                picked = [
                    re.sub(r"\b\d+\b", lambda _: str(rng.randint(2, 900)), s) for s in rng.sample(pool, 5)
                ]
                item = {"title": f"Report {i}", "link": web.url(f"/a/{i}"), "guid": f"item-{i}"}
                if args.dated:
                    picked = [swap(s, DYADS[i % len(DYADS)]) for s in picked]
                    day = first_day + dt.timedelta(days=i * args.days // args.items + rng.randint(0, 2))
                    item["pubDate"] = f"{day.strftime('%a, %d %b %Y')} 12:00:00 +0000"
                web.routes[f"/a/{i}"] = Route(article_html(f"Report {i}", "\n\n".join(picked)))
                items.append(item)
            web.routes["/feed"] = Route(rss(items), content_type="application/rss+xml")
            (folder / "sources.toml").write_text(f'[[source]]\nname = "big"\nurl = "{web.url("/feed")}"\n')
            (folder / "powderkeg.toml").write_text(
                '[powderkeg]\nallow_hosts = ["127.0.0.1"]\nhost_delay = 0.0\nhost_concurrency = 8\n'
            )
            for label, source in (("this", str(ROOT)), ("against", args.against)):
                if source is None:
                    continue
                results.append(watch(label, source, folder, args.every))
                if results[-1].exit:
                    print(results[-1].tail)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for r in results:
        print(summary(r, args.items))
    if len(results) == 2:
        this, other = results
        print(
            f"this / against: wall {this.seconds / other.seconds:.2f}, CPU {this.cpu / other.cpu:.2f},"
            f" last step's entries/s {this.rates[-1] / other.rates[-1]:.2f}"
        )


if __name__ == "__main__":
    main()
