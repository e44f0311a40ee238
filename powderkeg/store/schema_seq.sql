-- Step 7 of store/migrations.py; never edited. Reads find an event's evidence by ``seq`` instead of
-- the index evidence_event, and events by date with no index: two indexes that held memory growing
-- with the store.
--
-- DuckDB holds every index a writer touches in memory, cannot let it go nor spill it, and a batch
-- of new rows (random hash keys) touches nearly all of an index on a hash: at 50,000 articles,
-- with 20,000 rows inserted into a copy holding that one index, evidence_event took 18 MB and
-- events_date 2 MB, of the 102 MB of indexes the writer held. (events_article, 5 MB, stays:
-- fusion reads a batch's articles' events by it, and without it each batch's fusion read more of
-- the events table as the store grew.)
--
-- ``seq`` numbers the articles in the order they were stored (1, 2, ...), and an article's events
-- and their evidence carry its number. Rows are appended in that order, so each row group's
-- min/max of ``seq`` is tight and ``WHERE seq = ? AND event_id = ?`` (the number read from the
-- event by its key) reads one row group, with no index. Dates need no index: events are appended
-- about in date order and a day's events are found by the column's min/max.
DROP INDEX IF EXISTS evidence_event;
DROP INDEX IF EXISTS events_date;
ALTER TABLE articles ADD COLUMN seq BIGINT;
ALTER TABLE events ADD COLUMN seq BIGINT;
ALTER TABLE evidence ADD COLUMN seq BIGINT;
UPDATE articles SET seq = n.seq
FROM (SELECT rowid AS r, row_number() OVER (ORDER BY rowid) AS seq FROM articles) n
WHERE articles.rowid = n.r;
UPDATE events SET seq = a.seq FROM articles a WHERE a.id = events.article_id;
UPDATE evidence SET seq = e.seq FROM events e WHERE e.id = evidence.event_id;
