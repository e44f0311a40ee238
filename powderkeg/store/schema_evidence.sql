-- Step 6 of store/migrations.py; never edited. The evidence table without its PRIMARY KEY
-- (event_id, field). The writer keeps what the key kept (store/duckdb.py, ``_unstored``): evidence
-- is written only with its event, which is new, and a batch keeps the first row of each
-- (event_id, field). The key cost memory that grows with the store: DuckDB holds a key's index
-- in memory, cannot let it go nor spill it, and a batch of new rows (random hashes) touches
-- nearly all of it: at 50,000 articles (1.25 million evidence rows) this one took 94 MB, most of
-- the store's. Reads find an event's evidence by ``evidence_event``, made again here. DuckDB
-- cannot drop a constraint, so the table is built anew, its rows copied in their order.
CREATE TABLE evidence_v6 (
    event_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,          -- trigger, source, target, place, date, numbers.killed, ...
    start_char INTEGER,              -- offsets into articles.text
    end_char INTEGER,
    text VARCHAR
);
INSERT INTO evidence_v6 SELECT * FROM evidence ORDER BY rowid;
DROP TABLE evidence;
ALTER TABLE evidence_v6 RENAME TO evidence;
CREATE INDEX evidence_event ON evidence (event_id);
