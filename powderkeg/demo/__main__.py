"""``python -m powderkeg.demo DB``: see ``powderkeg.demo.clear``."""

import sys

from . import clear

kept = clear(sys.argv[1] if len(sys.argv) > 1 else "powderkeg.duckdb")
if kept:
    sys.exit(
        f"make demo: {kept}; it is left alone. Run the demo into another file with"
        " `make demo DEMO_DB=demo.duckdb` (then pass --db demo.duckdb), or move this one away."
    )
