"""The dashboard's files: third-party ones are the listed npm files with their licences; no CDN."""

from __future__ import annotations

import hashlib
import re

from powderkeg.web.vendor import HERE, VENDOR, manifest


def test_every_vendored_file_is_listed_with_its_hash_and_each_package_has_a_licence():
    listed = {}
    for package in manifest():
        assert "LICENSE" in package["files"] and package["license"]
        for dest, (_, sha) in package["files"].items():
            listed[VENDOR / package["folder"] / dest] = sha
    present = {p for p in VENDOR.rglob("*") if p.is_file()}
    assert present == set(listed)
    for path, sha in listed.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha, path


def test_the_dashboard_loads_nothing_from_elsewhere():
    static = HERE / "static"
    for path in [static / "index.html", static / "app.js", static / "charts.js", static / "app.css"]:
        text = path.read_text("utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path
        assert not re.search(r"""(fetch|import)\(\s*["'](https?:)?//""", text), path
    assert "innerHTML" not in (static / "app.js").read_text("utf-8") + (static / "charts.js").read_text(
        "utf-8"
    )
