"""Check (or refresh) the dashboard's third-party files against the npm registry's tarballs.

    python -m powderkeg.web.vendor            # fetch each package with `npm pack`, compare
    python -m powderkeg.web.vendor --write    # ... and copy the listed files into static/vendor/

``vendor.toml`` lists each package's version, the tarball's integrity (as npm prints it)
and every vendored file with the tarball member it comes from and its sha256. Needs npm
and the registry; nothing else in powderkeg does (the files are committed).
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).parent
VENDOR = HERE / "static" / "vendor"


def manifest() -> list[dict]:
    return tomllib.loads((HERE / "vendor.toml").read_text("utf-8"))["package"]


def main(argv: list[str]) -> int:
    write = "--write" in argv
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for package in manifest():
            spec = f"{package['name']}@{package['version']}"
            subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
            [tarball] = [
                p
                for p in Path(tmp).glob("*.tgz")
                if p.name.startswith(package["name"] + "-" + package["version"])
            ]
            digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
            if digest != package["integrity"]:
                print(f"{spec}: tarball integrity {digest} is not the listed one")
                bad += 1
                continue
            with tarfile.open(tarball) as tar:
                for dest, (member, sha) in package["files"].items():
                    data = tar.extractfile(member).read()  # type: ignore[union-attr]
                    target = VENDOR / package["folder"] / dest
                    if write:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(data)
                    elif not target.exists() or target.read_bytes() != data:
                        print(f"{target} differs from {spec}:{member}")
                        bad += 1
                    if hashlib.sha256(data).hexdigest() != sha:
                        print(f"{spec}:{member} does not have the listed sha256")
                        bad += 1
            tarball.unlink()
            print(f"{spec}: ok" if not bad else f"{spec}: checked")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
