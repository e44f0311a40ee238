-- Step 8 of store/migrations.py; never edited. No index on fused_events' date, fused_members'
-- fused_id nor fuse_log's fused_id: three indexes that held memory growing with the store.
--
-- DuckDB holds every index a writer touches in memory, cannot let it go nor spill it, and a batch
-- of new rows (random hash keys) touches nearly all of an index on a hash: at 50,000 articles,
-- with 20,000 rows inserted into a copy holding that one index, fused_members_fused took 8.4 MB,
-- fuse_log_fused 7.7 and fused_date 2.5, of the 77 MB of indexes the writer held. Fusion's reads
-- of members by fused id (``IN (SELECT unnest(?))``, a hash join) did not use the index; the reads
-- that did (one fused event's log or members, /fused on a day) scan a column instead, a few ms at
-- 50,000 articles (bench/fused_reads.py), and /fused by date keeps the column's min/max.
DROP INDEX IF EXISTS fused_date;
DROP INDEX IF EXISTS fused_members_fused;
DROP INDEX IF EXISTS fuse_log_fused;
