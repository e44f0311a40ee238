-- The type and day of each fused report: the index fusion looks candidates up by, so that new
-- reports are compared only with fused events that have a report of their type within reach of
-- their dates (powderkeg/fuse), not with a date range that grows with the store.
-- Step 5 of store/migrations.py; never edited.
CREATE TABLE IF NOT EXISTS fused_days (
    report_id VARCHAR PRIMARY KEY,   -- fused_members.report_id
    fused_id VARCHAR NOT NULL,       -- kept equal to fused_members.fused_id
    type VARCHAR NOT NULL,
    day DATE NOT NULL,               -- the report's date, or its article's ingestion day when it has none
    dated BOOLEAN NOT NULL           -- false: placed on the day its article was ingested
);
INSERT INTO fused_days
SELECT m.report_id, m.fused_id, e.type, coalesce(e.date, CAST(a.ingested_at AS DATE)), e.date IS NOT NULL
FROM fused_members m JOIN events e ON e.id = m.report_id JOIN articles a ON a.id = e.article_id
ON CONFLICT DO NOTHING;
