"""Indices, escalation detection and alerts over fused events.

index.py       the tension index (formula in its docstring), per dyad, country or region, per day or week
escalation.py  robust z-scores against each series' own baseline
rules.py       alert rules from TOML (default_alerts.toml is the default and the format's reference)
alerts.py      AlertEngine: evaluate rules on the periods new fused events touch; store what fired
sinks.py       console, JSONL and webhook sinks, delivered by a background Dispatcher with retries
"""
