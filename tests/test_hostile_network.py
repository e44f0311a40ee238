"""Network and secrets under a hostile or careless source (issue 15). Everything runs against
servers on 127.0.0.1; the addresses the guard must refuse (10.0.0.1, 169.254.169.254, 6to4 and
other IPv6 forms of them) are refused before any connection is made, so nothing is sent there."""

from __future__ import annotations

import logging
import time

import duckdb
import pytest

from powderkeg import Pipeline, Settings, Store
from powderkeg.analyze.alerts import AlertEngine
from powderkeg.analyze.rules import load_rules
from powderkeg.analyze.sinks import Dispatcher, WebhookSink, build_sinks
from powderkeg.errors import ConfigError, DeliveryError, FetchFailed, FetchRefused, redact_url
from powderkeg.ingest.sources import load_sources
from powderkeg.ingest.web import Fetcher, Guard, guarded_client, is_public
from powderkeg.monitor import Watcher

from .test_alerts import RULES, Receiver, _crisis
from .webserver import Route, article_html, rss

LOCAL = dict(allow_hosts=("127.0.0.1",), host_delay=0.0, backoff_base=0.0)


def test_fetch_timeout_covers_headers_dripped_a_line_at_a_time(web):
    web.routes["/drip-headers"] = Route("<p>late</p>", drip_headers=0.5)  # 60 lines: 30 s in all
    with Fetcher(Settings(**LOCAL, fetch_timeout=1.0, robots=False)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchFailed, match=r"1\.0 s"):
            fetcher.fetch(web.url("/drip-headers"))
        assert time.monotonic() - started < 10  # cut off near 1 s, not after the 30 s of headers


@pytest.mark.parametrize(
    "host",
    [
        "[2002:a00:1::]",  # 6to4 of 10.0.0.1
        "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
        "[2002:a9fe:a9fe::]",  # 6to4 of 169.254.169.254
        "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "[::a9fe:a9fe]",  # IPv4-compatible 169.254.169.254
        "[2001:0:4136:e378:8000:63bf:f5ff:fffe]",  # Teredo, client 10.0.0.1
        "[::ffff:a9fe:a9fe]",  # IPv4-mapped 169.254.169.254
    ],
)
def test_ipv6_forms_that_embed_a_private_ipv4_address_are_refused_before_connecting(host):
    with pytest.raises(FetchRefused, match="not a public address"):
        Guard().check_url(f"http://{host}/")
    with Fetcher(Settings(host_delay=0.0)) as fetcher, pytest.raises(FetchRefused):
        fetcher.fetch(f"http://{host}/latest")


def test_ipv6_forms_of_public_ipv4_addresses_stay_public():
    assert is_public("2002:808:808::") and is_public("::ffff:8.8.8.8") and is_public("2606:4700::1111")


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('allow_hosts = "127.0.0.1"', "allow_hosts must be a list"),
        ("allow_hosts = [1, 2]", "allow_hosts must be a list of strings"),
        ('poll_interval = "abc"', "poll_interval must be a number"),
        ("batch_size = true", "batch_size must be a number"),
        ("robots = 1", "robots must be a bool"),
    ],
)
def test_a_setting_of_the_wrong_type_is_an_error_naming_it(tmp_path, toml, says):
    path = tmp_path / "powderkeg.toml"
    path.write_text(f"[powderkeg]\n{toml}\n", "utf-8")
    with pytest.raises(ConfigError, match=says):
        Settings.load(path)


def test_list_settings_still_read_as_lists(tmp_path, monkeypatch):
    path = tmp_path / "powderkeg.toml"
    path.write_text('[powderkeg]\nallow_hosts = ["127.0.0.1", "feeds.test"]\n', "utf-8")
    assert Settings.load(path).allow_hosts == ("127.0.0.1", "feeds.test")
    monkeypatch.setenv("POWDERKEG_ALLOW_HOSTS", "a.test:b.test")
    assert Settings.load(path).allow_hosts == ("a.test", "b.test")


GOOD = '[[source]]\nname = "a"\nurl = "https://a.test/feed"\n'


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('[[source]]\nname = "a"\nurl = "file:///etc/passwd"\n', "not an http\\(s\\) address"),
        ('[[source]]\nname = "a"\nurl = "gopher://a.test/"\n', "not an http\\(s\\) address"),
        ('[[source]]\nname = "a"\nurl = "https://"\n', "not an http\\(s\\) address"),
        (GOOD + "interval = -5\n", "interval -5; it must be a positive number"),
        (GOOD + "interval = 0\n", "interval 0;"),
        (GOOD + 'interval = "abc"\n', "interval 'abc';"),
        (GOOD + "interval = nan\n", "interval nan;"),
        (GOOD + "intervall = 60\n", "source 1 has unknown key 'intervall'"),
        ('[defaults]\nkind = "feed"\nuser = "x"\n' + GOOD, "\\[defaults\\] has unknown key 'user'"),
        ('[[sources]]\nname = "a"\nurl = "https://a.test/"\n', "the file has unknown key 'sources'"),
        ("[[source]]\nurl = 5\n", "has no url"),
    ],
)
def test_sources_toml_is_checked_when_it_loads(tmp_path, toml, says):
    path = tmp_path / "sources.toml"
    path.write_text(toml, "utf-8")
    with pytest.raises(ConfigError, match=says):
        load_sources(path)


def test_a_valid_sources_toml_still_loads(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[defaults]\nkind = "feed"\ninterval = 45\n' + GOOD + "interval = 0.5\n", "utf-8")
    [source] = load_sources(path)
    assert source.interval == 0.5


ALERT = {"id": "a1", "rule": "r", "key": "SRB-XKX", "period": "2023-09-24", "by": "day", "index": 9.0,
         "baseline": 1.0, "z": 5.0, "events": []}  # fmt: skip


def test_the_webhook_sink_has_the_fetchers_guard():
    receiver = Receiver()
    try:
        guarded = guarded_client(Settings())  # allow_hosts not set: loopback is refused
        for url in (
            receiver.url,
            "http://10.0.0.1/hook",
            "http://169.254.169.254/latest",
            "http://[2002:a00:1::]/",
        ):
            with pytest.raises(DeliveryError, match="not a public address"):
                WebhookSink(url, "hook", client=guarded).send(ALERT)
        assert receiver.attempts == []
        WebhookSink(receiver.url, "hook", client=guarded_client(Settings(allow_hosts=("127.0.0.1",)))).send(
            ALERT
        )
        assert [a["id"] for a in receiver.accepted] == ["a1"]
    finally:
        receiver.close()
    with pytest.raises(Exception, match="guards private addresses"):
        WebhookSink("https://hooks.test/x", "hook")  # no unguarded default client


def test_webhook_credentials_and_tokens_never_reach_a_log_line(caplog):
    secret_url = "http://bob:s3cret-pw@127.0.0.1:9/services/T0/XyZsEcReT?token=tok-123&x=1"
    assert redact_url(secret_url, path=True) == "http://***@127.0.0.1:9/services/***?token=***&x=***"
    client = guarded_client(Settings(allow_hosts=("127.0.0.1",), fetch_timeout=2.0))
    dispatcher = Dispatcher(attempts=2, backoff=0.01)
    with caplog.at_level(logging.DEBUG):
        dispatcher.submit(WebhookSink(secret_url, "hook", client=client), ALERT)  # port 9: refused
        dispatcher.close()
        outcome = dispatcher.outcomes.get_nowait()
    said = " ".join(
        [r.getMessage() for r in caplog.records] + [str(f) for f in dispatcher.failed] + [outcome.error]
    )
    assert dispatcher.failed and "127.0.0.1:9/services/***" in said
    for secret in ("s3cret-pw", "bob", "tok-123", "XyZsEcReT"):
        assert secret not in said


def _engine(store, rules_file, dispatcher):
    rules = load_rules(rules_file)
    return AlertEngine(
        store.con, rules, build_sinks(rules.sinks, client=guarded_client(Settings(**LOCAL))), dispatcher
    )


def _open(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT sink, attempts FROM alert_deliveries WHERE delivered_at IS NULL ORDER BY 1"
        ).fetchall()
    finally:
        con.close()


def test_an_alert_is_delivered_only_once_a_sink_took_it_and_the_next_run_retries(tmp_path):
    down = Receiver(fail_first=1000)  # the webhook answers 500 to everything this run
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(RULES.format(url=down.url, path=tmp_path / "alerts.jsonl"), "utf-8")
    db = tmp_path / "a.duckdb"
    try:
        with Store(db) as store:
            touched = _crisis(store)
            engine = _engine(store, rules_file, Dispatcher(attempts=2, backoff=0.01))
            [fired] = engine.observe(touched)
            engine.close()
        assert len(down.attempts) == 2 and down.accepted == []
        assert _open(db) == [("hook", 2)]  # fired and kept, not delivered: open for the next run
    finally:
        down.close()
    up = Receiver()
    rules_file.write_text(RULES.format(url=up.url, path=tmp_path / "alerts.jsonl"), "utf-8")
    try:
        with Store(db) as store:
            engine = _engine(store, rules_file, Dispatcher(attempts=2, backoff=0.01))
            assert engine.resend() == 1
            assert engine.observe(touched) == []  # it fired once; only its delivery is retried
            engine.close()
        assert [a["id"] for a in up.accepted] == [fired["id"]]
        assert _open(db) == []
    finally:
        up.close()
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1  # the file took it the first time


def test_alerts_not_attempted_before_shutdown_stay_open_and_go_out_next_run(tmp_path):
    slow = Receiver(delay=1.0)
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(RULES.format(url=slow.url, path=tmp_path / "alerts.jsonl"), "utf-8")
    db = tmp_path / "a.duckdb"
    try:
        with Store(db) as store:
            touched = _crisis(store)
            engine = _engine(store, rules_file, Dispatcher(attempts=1, backoff=0.01))
            engine.observe(touched)
            engine.close(timeout=0.0)  # shutdown before the webhook answered
        assert ("hook", 0) in _open(db)
        with Store(db) as store:
            engine = _engine(store, rules_file, Dispatcher(attempts=1, backoff=0.01))
            engine.resend()
            engine.close()
        assert _open(db) == [] and len(slow.accepted) >= 1
    finally:
        slow.close()


@pytest.mark.slow
def test_one_slow_source_does_not_hold_up_the_others(web, tmp_path, pipeline):
    web.routes["/slow"] = Route(rss([]), content_type="application/rss+xml", drip_headers=0.5)
    web.routes["/a/1"] = Route(article_html("Talks", "Serbian and Kosovo leaders met in Brussels on Monday."))
    items = [{"title": "Talks", "link": web.url("/a/1"), "guid": "1"}]
    web.routes["/good"] = Route(rss(items), content_type="application/rss+xml")
    settings = Settings(**LOCAL, fetch_timeout=3.0, robots=False, db=str(tmp_path / "w.duckdb"))
    polled: list[tuple[str, float]] = []
    started = time.monotonic()
    from powderkeg.ingest.sources import FeedSource

    sources = [FeedSource("slow", web.url("/slow")), FeedSource("good", web.url("/good"))]
    with Store(settings.db) as store, Fetcher(settings) as fetcher:
        watcher = Watcher(
            sources,
            store,
            Pipeline(settings, nlp=pipeline.nlp),
            fetcher,
            settings,
            on_polled=lambda r: polled.append((r.source, time.monotonic() - started)),
        )
        try:
            reports = watcher.run_once()
        finally:
            watcher.close()
    assert [r.source for r in reports] == ["slow", "good"]  # reported in the file's order
    assert [name for name, _ in polled] == ["good", "slow"]  # handled as answers came in
    assert reports[1].new == 1 and "E201" in reports[0].error
