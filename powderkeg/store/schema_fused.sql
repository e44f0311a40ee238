-- Fused events: one row per real-world event, built over the raw per-report `events` table
-- (which stays as it is), and the alerts fired on them. Step 1 of store/migrations.py; never edited.
CREATE TABLE IF NOT EXISTS fused_events (
    id VARCHAR PRIMARY KEY,          -- 'F' + hash of the report that founded it; stable as reports join
    type VARCHAR NOT NULL,
    mode VARCHAR,
    quad_class TINYINT,
    score DOUBLE,                    -- median Goldstein-style score of its reports
    date DATE,                       -- best estimate: earliest date among the most precise reports
    date_min DATE,
    date_max DATE,
    date_precision VARCHAR,
    date_basis VARCHAR,              -- text | published | ingested (undated article placed on its ingestion day)
    source_keys VARCHAR[],           -- countries and organisations on the source side (union of reports)
    target_keys VARCHAR[],
    place_name VARCHAR,
    place_country VARCHAR,
    factuality VARCHAR,              -- asserted if any report asserts it, else claimed
    n_reports INTEGER,
    n_sources INTEGER,               -- distinct articles reporting it
    killed_min INTEGER, killed_max INTEGER,
    injured_min INTEGER, injured_max INTEGER,
    arrested_min INTEGER, arrested_max INTEGER,
    size_min INTEGER, size_max INTEGER,
    record JSON,                     -- the whole fused event, with by-source values of every disagreement
    updated_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS fused_members (
    report_id VARCHAR PRIMARY KEY,   -- events.id
    fused_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    how VARCHAR,                     -- founded | merged | split
    score DOUBLE,                    -- identity score of the merge (0 for a founder)
    reason VARCHAR,
    logged_at TIMESTAMP DEFAULT current_timestamp
);
-- every merge and unmerge, in order: what `powderkeg unmerge` reverses, and the audit trail
CREATE SEQUENCE IF NOT EXISTS fuse_log_seq;
CREATE TABLE IF NOT EXISTS fuse_log (
    seq BIGINT DEFAULT nextval('fuse_log_seq') PRIMARY KEY,
    logged_at TIMESTAMP DEFAULT current_timestamp,
    action VARCHAR,                  -- found | merge | unmerge
    fused_id VARCHAR,
    report_id VARCHAR,
    score DOUBLE,
    reason VARCHAR
);
-- a report taken out of a fused event never rejoins it
CREATE TABLE IF NOT EXISTS fuse_blocks (
    report_id VARCHAR,
    fused_id VARCHAR,
    PRIMARY KEY (report_id, fused_id)
);
CREATE TABLE IF NOT EXISTS alerts (
    id VARCHAR PRIMARY KEY,          -- hash of rule, key and period: an alert fires once
    rule VARCHAR,
    key VARCHAR,                     -- SRB-XKX, SRB>XKX, SRB, region:balkans
    period DATE,
    fired_at TIMESTAMP DEFAULT current_timestamp,
    reading DOUBLE,
    z DOUBLE,
    record JSON                      -- the alert as the sinks received it, events and evidence included
);
CREATE INDEX IF NOT EXISTS fused_date ON fused_events (date);
CREATE INDEX IF NOT EXISTS fused_members_fused ON fused_members (fused_id);
