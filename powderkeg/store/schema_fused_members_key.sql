-- Step 12 of store/migrations.py; never edited. Fused members keyed by (seq, report_id), their
-- report's article number first, instead of by report_id alone.
--
-- As with events (step 11): keyed by a random hash, a writer's new rows touch nearly every part of
-- the key's index, so DuckDB loaded all of it, and it grew with the store (at 50,000 articles the
-- largest key left, bench/index_memory.py). Led by ``seq``, the number of the report's article,
-- which grows with each stored article, new rows land at the end of the index and only its last
-- buffers are loaded. A report's article never changes, so a report moved to another fused event
-- (a merge, an unmerge) still updates its one row through the key.
--
-- DuckDB cannot change a table's key, so the table is built anew with the same columns in the same
-- order and ``seq`` last, its rows copied in seq order. A key's columns are NOT NULL: a member whose
-- article is not stored has no number and is given 0, as its event is (step 11).
CREATE TABLE fused_members_v12 (
    report_id VARCHAR NOT NULL,      -- events.id
    fused_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    how VARCHAR,                     -- founded | merged | split
    score DOUBLE,                    -- identity score of the merge (0 for a founder)
    reason VARCHAR,
    logged_at TIMESTAMP DEFAULT current_timestamp,
    seq BIGINT NOT NULL,             -- its article's number (articles.seq; events.seq of the report)
    PRIMARY KEY (seq, report_id)
);
INSERT INTO fused_members_v12
SELECT m.report_id, m.fused_id, m.article_id, m.how, m.score, m.reason, m.logged_at, coalesce(a.seq, 0) AS seq
FROM fused_members m LEFT JOIN articles a ON a.id = m.article_id
ORDER BY seq, m.rowid;
DROP TABLE fused_members;
ALTER TABLE fused_members_v12 RENAME TO fused_members;
