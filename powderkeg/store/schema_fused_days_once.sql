-- Step 10 of store/migrations.py; never edited. ``fused_days`` holds the facts of each fused report
-- itself (its type and day), written once when the report is first fused and never updated:
-- without ``fused_id`` (a report's fused event is read from fused_members, joined by report_id)
-- and without its PRIMARY KEY (report_id), whose index held the same ids as fused_members' key
-- and memory growing with the store (11 MB of a writer's indexes at 50,000 articles). A report
-- moved to another fused event then changes fused_members alone, through that table's key.
-- DuckDB cannot drop a column of a keyed table nor a constraint, so the table is built anew,
-- its rows copied in their order.
CREATE TABLE fused_days_v10 (
    report_id VARCHAR NOT NULL,      -- fused_members.report_id, one row each
    type VARCHAR NOT NULL,
    day DATE NOT NULL,               -- the report's date, or its article's ingestion day when it has none
    dated BOOLEAN NOT NULL           -- false: placed on the day its article was ingested
);
INSERT INTO fused_days_v10 SELECT report_id, type, day, dated FROM fused_days ORDER BY rowid;
DROP TABLE fused_days;
ALTER TABLE fused_days_v10 RENAME TO fused_days;
