"""Alert rules and sinks: a real HTTP receiver on 127.0.0.1, retries, JSONL, rule files."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from powderkeg import Store
from powderkeg.analyze.alerts import AlertEngine
from powderkeg.analyze.rules import load_rules
from powderkeg.analyze.sinks import Dispatcher, JsonlSink, WebhookSink
from powderkeg.errors import AlertRuleError
from powderkeg.fuse import fuse
from powderkeg.ingest.web import guarded_client
from powderkeg.settings import Settings

from .fusion_helpers import article, event

LOCAL = guarded_client(Settings(allow_hosts=("127.0.0.1",)))  # webhooks to the receivers below


class Receiver:
    """An HTTP server that answers 500 to the first ``fail_first`` POSTs, then 200."""

    def __init__(self, fail_first: int = 0, delay: float = 0.0) -> None:
        self.fail_first, self.delay = fail_first, delay
        self.attempts: list[dict] = []
        self.accepted: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(receiver.delay)
                receiver.attempts.append(body)
                ok = len(receiver.attempts) > receiver.fail_first
                if ok:
                    receiver.accepted.append(body)
                self.send_response(200 if ok else 500)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver(fail_first=1)
    yield r
    r.close()


RULES = """
[defaults]
min_index = 5.0
cooldown_days = 7
sinks = ["hook", "file"]

[sinks.hook]
type = "webhook"
url = "{url}"

[sinks.file]
type = "jsonl"
path = "{path}"

[[rules]]
name = "sk"
dyad = ["SRB", "XKX"]
"""


def _crisis(store):
    """Quiet weeks of talks, then a shooting reported by two outlets."""
    items = []
    for day in range(1, 10):
        a = article(f"talks-{day}", f"2023-09-{day:02d}")
        items.append(
            (a, [event(a, "CONSULT", "SRB", "XKX", f"2023-09-{day:02d}", sentence=f"Talks on day {day}.")])
        )
    a, b = article("shooting-1", "2023-09-24"), article("shooting-2", "2023-09-25")
    items.append(
        (
            a,
            [
                event(
                    a,
                    "ASSAULT",
                    "SRB",
                    "XKX",
                    "2023-09-24",
                    killed=1,
                    sentence="Serbian gunmen attacked Kosovo police in Banjska, killing one officer.",
                )
            ],
        )
    )
    items.append(
        (
            b,
            [
                event(
                    b,
                    "ASSAULT",
                    "SRB",
                    "XKX",
                    "2023-09-24",
                    killed=4,
                    sentence="Four people died when gunmen from Serbia fired on Kosovo police.",
                )
            ],
        )
    )
    touched = []
    for art, events in items:
        store.add(art, events)
        touched += fuse(store.con, [art.id])
    return touched


def test_alert_reaches_a_real_webhook_after_a_failure_and_a_jsonl_file(tmp_path, receiver):
    path = tmp_path / "alerts.jsonl"
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(RULES.format(url=receiver.url, path=path), "utf-8")
    rules = load_rules(rules_file)
    with Store(tmp_path / "a.duckdb") as store:
        touched = _crisis(store)
        from powderkeg.analyze.sinks import build_sinks

        dispatcher = Dispatcher(attempts=4, backoff=0.05)
        engine = AlertEngine(store.con, rules, build_sinks(rules.sinks, client=LOCAL), dispatcher)
        fired = engine.observe(touched)
        assert [a["period"] for a in fired] == ["2023-09-24"]
        assert engine.observe(touched) == []  # an alert fires once
        dispatcher.close()
    assert dispatcher.delivered == {"hook": 1, "file": 1} and dispatcher.retries["hook"] == 1
    assert len(receiver.attempts) == 2 and len(receiver.accepted) == 1
    alert = receiver.accepted[0]
    assert alert["key"] == "SRB-XKX" and alert["z"] >= 3
    [fused] = alert["events"]
    assert fused["n_sources"] == 2 and "Banjska" in " ".join(fused["evidence"])
    assert [json.loads(line)["id"] for line in path.read_text().splitlines()] == [alert["id"]]


def test_slack_payload_and_a_sink_that_never_answers_do_not_block(tmp_path):
    slow = Receiver(delay=0.5)
    try:
        dispatcher = Dispatcher(attempts=2, backoff=0.01)
        sink = WebhookSink(slow.url, "slack", slack=True, client=LOCAL)
        alert = {"id": "x", "rule": "r", "key": "SRB-XKX", "period": "2023-09-24", "by": "day", "index": 20.0,
                 "baseline": 1.0, "z": 9.5, "events": [{"id": "F1", "date": "2023-09-24", "type": "ASSAULT",
                 "source": ["SRB"], "target": ["XKX"], "contribution": 19.0, "n_sources": 2, "evidence": ["Gunmen attacked."]}]}  # fmt: skip
        started = time.perf_counter()
        for _ in range(3):
            assert dispatcher.submit(sink, alert)
        assert time.perf_counter() - started < 0.2  # submitting never waits for delivery
        dispatcher.close()
        payload = slow.accepted[0]
        assert (
            payload["text"].startswith("[r] SRB-XKX 2023-09-24") and payload["blocks"][0]["type"] == "header"
        )
        assert "Gunmen attacked." in json.dumps(payload["blocks"])
    finally:
        slow.close()


def test_undeliverable_alerts_are_reported_not_raised(tmp_path):
    blocked = tmp_path / "dir"
    blocked.mkdir()
    dispatcher = Dispatcher(attempts=2, backoff=0.01)
    dispatcher.submit(JsonlSink(blocked, "file"), {"id": "a1"})  # a directory cannot be appended to
    dispatcher.close()
    assert dispatcher.failed and dispatcher.failed[0][:2] == ("file", "a1")


def test_default_rules_load_and_bad_rules_say_why(tmp_path):
    rules = load_rules("default")
    assert {r.name for r in rules.rules} >= {"serbia-kosovo"}
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rules]]\nname = "x"\ndyad = ["SRB", "KOS"]\n', "utf-8")
    with pytest.raises(AlertRuleError, match="XKX"):
        load_rules(bad)
    bad.write_text('[[rules]]\nname = "x"\ncountry = "SRB"\nsinks = ["pager"]\n', "utf-8")
    with pytest.raises(AlertRuleError, match="pager"):
        load_rules(bad)


ARTICLES = [
    ("2023-09-20", "Serbian and Kosovo negotiators met in Brussels on Wednesday for talks hosted by the EU."),
    ("2023-09-21", "Serbian and Kosovo negotiators met again in Brussels on Thursday."),
    ("2023-09-22", "Kosovo and Serbian officials held talks in Brussels on Friday."),
    ("2023-09-24", "Serbian troops attacked Kosovo police near Banjska on Sunday and killed four officers."),
    (
        "2023-09-25",
        "Four Kosovo police officers were killed on Sunday when Serbian troops attacked them near Banjska.",
    ),
]


@pytest.mark.slow
def test_run_evaluates_rules_as_articles_arrive(tmp_path, receiver):
    from typer.testing import CliRunner

    from powderkeg.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, (day, text) in enumerate(ARTICLES):
        (corpus / f"{i}.txt").write_text(f"---\npublished: {day}\n---\n\n{text}\n", "utf-8")
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(RULES.format(url=receiver.url, path=tmp_path / "a.jsonl"), "utf-8")
    config = tmp_path / "powderkeg.toml"
    config.write_text('[powderkeg]\nallow_hosts = ["127.0.0.1"]\n', "utf-8")  # the receiver's address
    db = str(tmp_path / "run.duckdb")
    run = ["run", str(corpus), "--db", db, "--alerts", str(rules_file), "--config", str(config)]
    result = CliRunner().invoke(app, run)
    assert result.exit_code == 0, result.output
    [alert] = receiver.accepted
    assert alert["period"] == "2023-09-24" and "Banjska" in json.dumps(alert["events"])
    assert len(receiver.attempts) == 2  # the first POST failed and was retried
    again = CliRunner().invoke(
        app, ["alerts", "--db", db, "--rules", str(rules_file), "--list", "--config", str(config)]
    )
    assert "0 new alert(s); 1 stored" in again.output and "SRB-XKX 2023-09-24" in again.output
