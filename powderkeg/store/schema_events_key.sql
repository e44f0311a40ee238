-- Step 11 of store/migrations.py; never edited. Events keyed by (seq, id), their article's number
-- first, instead of by id alone.
--
-- DuckDB loads a key's index (ART) into memory lazily, a buffer at a time, as a writer touches it.
-- Keyed by a random hash, new rows touch nearly every part of the index, so a writer held the whole
-- of it (at 50,000 articles, 12.5 MB of a writer's indexes, the largest key; bench/index_memory.py).
-- Led by ``seq``, which grows with each stored article, new rows land at the end of the index and
-- only its last buffers are loaded; a CHECKPOINT lets them go. An event's id hashes its article's
-- id, so (seq, id) is as unique as id was, and a re-run article is still caught by the articles'
-- key. Reads by event id alone scan ``events.id`` instead of looking it up in the index.
--
-- DuckDB cannot change a table's key, so the table is built anew with the same columns in the same
-- order, its rows copied in seq order (the order they were stored in). A key's columns are NOT NULL;
-- an event whose article is not stored has no number (step 7 numbered events by their article):
-- it is given 0.
CREATE TABLE events_v11 (
    id VARCHAR NOT NULL,             -- hash of article, trigger offset, type, mode and actors
    article_id VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    mode VARCHAR,
    cameo VARCHAR,
    acled_type VARCHAR,
    quad_class TINYINT,
    score DOUBLE,
    source_countries VARCHAR[],
    target_countries VARCHAR[],
    source_orgs VARCHAR[],
    target_orgs VARCHAR[],
    place_country VARCHAR,
    date DATE,
    date_precision VARCHAR,
    killed INTEGER,
    injured INTEGER,
    arrested INTEGER,
    size INTEGER,
    factuality VARCHAR,
    claimed_by VARCHAR,
    sentence VARCHAR,
    sentence_start INTEGER,
    sentence_index INTEGER,
    rule VARCHAR,
    confidence DOUBLE,
    record JSON,                     -- the full event contract, as `powderkeg events --format jsonl` prints it
    created_at TIMESTAMP DEFAULT current_timestamp,
    seq BIGINT NOT NULL,             -- its article's number (articles.seq)
    PRIMARY KEY (seq, id)
);
INSERT INTO events_v11 SELECT * REPLACE (coalesce(seq, 0) AS seq) FROM events ORDER BY seq NULLS FIRST, rowid;
DROP TABLE events;
ALTER TABLE events_v11 RENAME TO events;
