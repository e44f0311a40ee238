"""Where alerts go: console, a JSONL file, a webhook; delivered off the ingestion thread.

A sink is anything with ``name`` and ``send(alert: dict) -> None`` that raises
``DeliveryError`` when it did not take the alert (``AlertSink``). The
``Dispatcher`` owns one background thread and a bounded queue: ``submit``
never blocks (a full queue leaves the alert for a later run rather than stall
ingestion), each delivery is retried with exponential backoff, and what became
of each one is queued in ``outcomes`` for the engine to record (``alert_deliveries``).

A webhook is posted through the client it is given: the CLI gives it the fetcher's
guard (``ingest.web.guarded_client``), so an alert goes to no private, loopback or
link-local address unless ``allow_hosts`` names the host. Its URL appears in
messages only redacted (no credentials, no query values, no path past the first segment).
"""

from __future__ import annotations

import json
import logging
import queue
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import httpx

from ..errors import AlertRuleError, DeliveryError, PowderkegError, redact, redact_url

log = logging.getLogger(__name__)


class AlertSink(Protocol):
    name: str

    def send(self, alert: dict[str, Any]) -> None: ...


def headline(alert: dict[str, Any]) -> str:
    return (
        f"[{alert['rule']}] {alert['key']} {alert['period']} ({alert['by']}): index {alert['index']:.1f},"
        f" baseline {alert['baseline']:.1f}, z {alert['z']:.1f}"
    )


def text_lines(alert: dict[str, Any]) -> list[str]:
    lines = [headline(alert)]
    for e in alert["events"]:
        lines.append(
            f"  {e['date']} {e['type']} {'+'.join(e['source']) or '?'} -> {'+'.join(e['target']) or '?'}"
            f"  +{e['contribution']:.1f}  {e['n_sources']} source(s)  [{e['id']}]"
        )
        lines.extend(f"      \u201c{s}\u201d" for s in e["evidence"])
    return lines


class ConsoleSink:
    def __init__(self, name: str = "console", stream: IO[str] | None = None) -> None:
        self.name, self.stream = name, stream

    def send(self, alert: dict[str, Any]) -> None:
        stream = self.stream or sys.stdout
        stream.write("ALERT " + "\n".join(text_lines(alert)) + "\n")
        stream.flush()


class JsonlSink:
    def __init__(self, path: str | Path, name: str = "jsonl") -> None:
        self.name, self.path = name, Path(path)

    def send(self, alert: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(alert, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise DeliveryError(f"cannot append to {self.path}: {exc}") from None


def slack_payload(alert: dict[str, Any]) -> dict[str, Any]:
    body = "\n".join(text_lines(alert)[1:])
    return {
        "text": headline(alert),
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": f"powderkeg: {alert['key']} escalating"},
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{headline(alert)}*"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body[:2900] or "-"}},
        ],
    }


class WebhookSink:
    """POST the alert as JSON (or as a Slack-compatible message with ``slack=True``)."""

    def __init__(
        self,
        url: str,
        name: str = "webhook",
        slack: bool = False,
        client: httpx.Client | None = None,
        timeout: float = 10.0,
    ) -> None:
        if client is None:
            raise AlertRuleError(
                f"sink {name}: a webhook needs the HTTP client that guards private addresses",
                remedy="build sinks with build_sinks(config, client=powderkeg.ingest.web.guarded_client(settings))",
            )
        self.name, self.url, self.slack, self.client, self.timeout = name, url, slack, client, timeout
        self.shown = redact_url(url, path=True)

    def send(self, alert: dict[str, Any]) -> None:
        payload = slack_payload(alert) if self.slack else alert
        try:
            response = self.client.post(self.url, json=payload, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"POST {self.shown}: {type(exc).__name__}: {redact(str(exc))}") from None
        except PowderkegError as exc:  # the guard refused the address before connecting
            raise DeliveryError(f"POST {self.shown}: {redact(exc.message)}") from None
        if response.status_code >= 300:
            raise DeliveryError(f"POST {self.shown}: HTTP {response.status_code}")


def build_sinks(
    config: dict[str, dict[str, Any]], client: httpx.Client | None = None
) -> dict[str, AlertSink]:
    """Sinks from a rules file's [sinks] table (console is always there); webhooks post
    through ``client`` (see the module's docstring)."""
    sinks: dict[str, AlertSink] = {"console": ConsoleSink()}
    for name, spec in config.items():
        kind = spec.get("type", name)
        if kind == "console":
            sinks[name] = ConsoleSink(name)
        elif kind == "jsonl":
            sinks[name] = JsonlSink(spec.get("path", "powderkeg-alerts.jsonl"), name)
        elif kind == "webhook":
            if not spec.get("url"):
                raise AlertRuleError(f"sink {name}: a webhook needs a url")
            sinks[name] = WebhookSink(spec["url"], name, slack=spec.get("format") == "slack", client=client)
        else:
            raise AlertRuleError(f"sink {name}: unknown type {kind!r}", remedy="console, jsonl or webhook")
    return sinks


@dataclass(frozen=True)
class Outcome:
    """What became of one alert's delivery to one sink."""

    sink: str
    alert_id: str
    delivered: bool
    attempts: int
    error: str = ""  # the last error, redacted


class Dispatcher:
    """Deliver alerts to sinks on a background thread, with retries and backoff."""

    def __init__(self, attempts: int = 5, backoff: float = 0.5, max_queue: int = 1000) -> None:
        self.attempts, self.backoff = attempts, backoff
        self.queue: queue.Queue[tuple[AlertSink, dict[str, Any]] | None] = queue.Queue(max_queue)
        self.delivered: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self.failed: list[tuple[str, str, str]] = []  # (sink, alert id, last error)
        self.outcomes: queue.SimpleQueue[Outcome] = queue.SimpleQueue()  # read by the engine
        self._thread = threading.Thread(target=self._work, name="powderkeg-alerts", daemon=True)
        self._thread.start()

    def submit(self, sink: AlertSink, alert: dict[str, Any]) -> bool:
        try:
            self.queue.put_nowait((sink, alert))
            return True
        except queue.Full:
            log.warning("alert queue full: %s for %s is left for the next run", alert.get("id"), sink.name)
            return False

    def _work(self) -> None:
        while (item := self.queue.get()) is not None:
            sink, alert = item
            try:
                self._deliver(sink, alert)
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def _deliver(self, sink: AlertSink, alert: dict[str, Any]) -> None:
        alert_id = str(alert.get("id"))
        for attempt in range(1, self.attempts + 1):
            try:
                sink.send(alert)
                self.delivered[sink.name] += 1
                self.outcomes.put(Outcome(sink.name, alert_id, True, attempt))
                return
            except DeliveryError as exc:
                error = redact(str(exc))
            except Exception as exc:  # noqa: BLE001 - a broken sink must not kill the thread
                error = redact(f"{type(exc).__name__}: {exc}")
            if attempt < self.attempts:
                self.retries[sink.name] += 1
                log.info("alert %s to %s failed (%s); retry %d", alert.get("id"), sink.name, error, attempt)
                time.sleep(self.backoff * 2 ** (attempt - 1))
        log.error(
            "alert %s to %s failed after %d attempts: %s", alert.get("id"), sink.name, self.attempts, error
        )
        self.failed.append((sink.name, alert_id, error))
        self.outcomes.put(Outcome(sink.name, alert_id, False, self.attempts, error))

    def close(self, timeout: float | None = 30.0) -> None:
        """Deliver what is queued (waiting at most ``timeout`` seconds), then stop the thread."""
        self.queue.put(None)
        self._thread.join(timeout)
