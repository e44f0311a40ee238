-- Step 9 of store/migrations.py; never edited. Reads find an article's events by its number
-- (``seq``, step 7), which its events carry, instead of the index events_article.
--
-- At 50,000 articles that index held about 5 MB of a writer's memory, growing with the store
-- (bench/index_memory.py), because DuckDB keeps every index a writer touches in memory and new
-- events' random article ids touch nearly all of it. Events are appended in article order, so
-- ``WHERE seq IN (SELECT seq FROM articles WHERE id = ?)`` reads only the row groups whose min/max
-- of ``seq`` hold the number (DuckDB pushes the numbers found into the scan), with no index.
DROP INDEX IF EXISTS events_article;
