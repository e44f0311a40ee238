-- Step 3 of store/migrations.py: each alert's delivery to each of its sinks. Never edited (a change is a new step).
-- An alert fires once (table alerts); it counts as delivered to a sink only once that sink took it,
-- so what a run could not deliver (a sink down, the process stopped first) is sent again by the next.
CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_id VARCHAR,
    sink VARCHAR,
    queued_at TIMESTAMP DEFAULT current_timestamp,
    delivered_at TIMESTAMP,          -- NULL: not delivered yet
    attempts INTEGER DEFAULT 0,
    last_error VARCHAR,              -- with credentials and query values redacted
    PRIMARY KEY (alert_id, sink)
);
