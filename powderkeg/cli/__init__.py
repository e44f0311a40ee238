"""The `powderkeg` command: one module per subcommand, each thin."""

from . import (  # noqa: F401, E501  (each registers its command)
    actors,
    alerts,
    backfill,
    code,
    codebook,
    events,
    fused,
    gazetteer,
    geocode,
    migrate,
    run,
    show,
    sources,
    tension,
    unmerge,
    watch,
)
from . import brief as brief_  # noqa: F401
from . import eval as eval_  # noqa: F401
from .app import app, main
from .serve import serve_cli  # noqa: F401  (registers `powderkeg serve`)

__all__ = ["app", "main"]
