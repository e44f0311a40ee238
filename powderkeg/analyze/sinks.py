"""Where alerts go: console, a JSONL file, a webhook; delivered off the ingestion thread.

A sink is anything with ``name`` and ``send(alert: dict) -> None`` that raises
``DeliveryError`` when it did not take the alert (``AlertSink``). The
``Dispatcher`` owns one background thread and a bounded queue: ``submit``
never blocks (a full queue drops the alert with a warning rather than stall
ingestion), and each delivery is retried with exponential backoff.
"""

from __future__ import annotations

import json
import logging
import queue
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any, Protocol

import httpx

from ..errors import AlertRuleError, DeliveryError

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
        self.name, self.url, self.slack = name, url, slack
        self.client = client or httpx.Client(timeout=timeout)

    def send(self, alert: dict[str, Any]) -> None:
        payload = slack_payload(alert) if self.slack else alert
        try:
            response = self.client.post(self.url, json=payload)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"POST {self.url}: {type(exc).__name__}: {exc}") from None
        if response.status_code >= 300:
            raise DeliveryError(f"POST {self.url}: HTTP {response.status_code}")


def build_sinks(
    config: dict[str, dict[str, Any]], client: httpx.Client | None = None
) -> dict[str, AlertSink]:
    """Sinks from a rules file's [sinks] table (console is always there)."""
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


class Dispatcher:
    """Deliver alerts to sinks on a background thread, with retries and backoff."""

    def __init__(self, attempts: int = 5, backoff: float = 0.5, max_queue: int = 1000) -> None:
        self.attempts, self.backoff = attempts, backoff
        self.queue: queue.Queue[tuple[AlertSink, dict[str, Any]] | None] = queue.Queue(max_queue)
        self.delivered: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self.failed: list[tuple[str, str, str]] = []  # (sink, alert id, last error)
        self._thread = threading.Thread(target=self._work, name="powderkeg-alerts", daemon=True)
        self._thread.start()

    def submit(self, sink: AlertSink, alert: dict[str, Any]) -> bool:
        try:
            self.queue.put_nowait((sink, alert))
            return True
        except queue.Full:
            log.warning("alert queue full: dropped %s for %s", alert.get("id"), sink.name)
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
        for attempt in range(1, self.attempts + 1):
            try:
                sink.send(alert)
                self.delivered[sink.name] += 1
                return
            except DeliveryError as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a broken sink must not kill the thread
                error = f"{type(exc).__name__}: {exc}"
            if attempt < self.attempts:
                self.retries[sink.name] += 1
                log.info("alert %s to %s failed (%s); retry %d", alert.get("id"), sink.name, error, attempt)
                time.sleep(self.backoff * 2 ** (attempt - 1))
        log.error(
            "alert %s to %s failed after %d attempts: %s", alert.get("id"), sink.name, self.attempts, error
        )
        self.failed.append((sink.name, str(alert.get("id")), error))

    def close(self, timeout: float | None = 30.0) -> None:
        """Deliver what is queued (waiting at most ``timeout`` seconds), then stop the thread."""
        self.queue.put(None)
        self._thread.join(timeout)
