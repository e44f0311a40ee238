-- Step 13 of store/migrations.py; never edited. Fused events keyed by (seq, id), the number of the
-- article of the report that founded them first, instead of by id alone.
--
-- As with events (step 11) and fused members (step 12): keyed by a random hash, a writer's new rows
-- touch nearly every part of the key's index, so DuckDB loaded all of it, and it grew with the store
-- (7.5 MB at 50,000 articles, bench/index_memory.py). A fused event's id is 'F' + a hash of the
-- report that founded it and never changes as reports join or leave, so neither does its founder's
-- article number: led by it, new fused events land at the end of the index, and an event rewritten
-- (a report joined it) is found again by the same (seq, id).
--
-- The founder is the member that founded the event (how 'founded', or 'split' for an event an
-- unmerge made: each event has at most one such member); where it has left the event (taken out by
-- an unmerge), the report of the event's first line in the merge log (found or unmerge), which is
-- its founder; with neither (a store written by hand), 0. Its number is its article's (fused
-- members and events carry it since steps 12 and 11). Not the smallest number among the members:
-- that changes as reports join (a merge of two events, a catch-up fusion of old articles) or leave.
--
-- DuckDB cannot change a table's key, so the table is built anew with the same columns in the same
-- order and ``seq`` last, its rows copied in seq order.
CREATE TABLE fused_events_v13 (
    id VARCHAR NOT NULL,             -- 'F' + hash of the report that founded it; stable as reports join
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
    updated_at TIMESTAMP DEFAULT current_timestamp,
    seq BIGINT NOT NULL,             -- the number of its founder's article (articles.seq)
    PRIMARY KEY (seq, id)
);
CREATE TEMP TABLE fused_founders AS
WITH member AS (
    SELECT fused_id, min(seq) AS seq FROM fused_members WHERE how IN ('founded', 'split') GROUP BY fused_id
), logged AS (
    SELECT fused_id, arg_min(report_id, seq) AS report_id FROM fuse_log
    WHERE action IN ('found', 'unmerge') GROUP BY fused_id
)
SELECT f.id, coalesce(m.seq, e.seq, 0) AS seq
FROM fused_events f
LEFT JOIN member m ON m.fused_id = f.id
LEFT JOIN logged l ON l.fused_id = f.id
LEFT JOIN events e ON e.id = l.report_id;
INSERT INTO fused_events_v13
SELECT f.id, f.type, f.mode, f.quad_class, f.score, f.date, f.date_min, f.date_max, f.date_precision,
       f.date_basis, f.source_keys, f.target_keys, f.place_name, f.place_country, f.factuality, f.n_reports,
       f.n_sources, f.killed_min, f.killed_max, f.injured_min, f.injured_max, f.arrested_min, f.arrested_max,
       f.size_min, f.size_max, f.record, f.updated_at, n.seq
FROM fused_events f JOIN fused_founders n ON n.id = f.id
ORDER BY n.seq, f.rowid;
DROP TABLE fused_founders;
DROP TABLE fused_events;
ALTER TABLE fused_events_v13 RENAME TO fused_events;
