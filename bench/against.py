"""Run Python with the powderkeg package of another checkout: the benchmarks' ``--against DIR``.

An editable install (``pip install -e .``) puts a finder ahead of ``PYTHONPATH``, so the child
drops it and puts DIR first, then runs a script or ``-mMODULE`` as ``__main__``.
"""

from __future__ import annotations

import sys
from pathlib import Path

BOOT = """
import os, runpy, sys
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
sys.path.insert(0, sys.argv.pop(1))
target = sys.argv.pop(1)
if target.startswith("-m"):
    sys.argv[0] = target[2:]
    runpy.run_module(target[2:], run_name="__main__", alter_sys=True)
else:
    sys.argv[0] = target
    sys.path.insert(1, os.path.dirname(os.path.abspath(target)))  # as python does for a script
    runpy.run_path(target, run_name="__main__")
"""


def command(source: str | None, target: str, *args: str) -> list[str]:
    """The command that runs ``target`` (a script, or ``-mpowderkeg``) with ``args``, with the
    powderkeg of ``source`` when given, else this one."""
    if source is None:
        return [sys.executable, *(["-m", target[2:]] if target.startswith("-m") else [target]), *args]
    return [sys.executable, "-c", BOOT, str(Path(source).resolve()), target, *args]
