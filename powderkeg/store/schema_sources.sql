-- powderkeg store: watched sources (monitor.py). Step 1 of store/migrations.py; never edited (a change is a new step).
CREATE TABLE IF NOT EXISTS sources (
    name VARCHAR PRIMARY KEY,
    url VARCHAR,
    kind VARCHAR,
    etag VARCHAR,                    -- validators of the last poll whose entries were all handled
    last_modified VARCHAR,
    last_polled TIMESTAMP,
    last_success TIMESTAMP,
    last_error TIMESTAMP,
    last_error_reason VARCHAR
);
CREATE TABLE IF NOT EXISTS source_entries (
    source VARCHAR NOT NULL,
    entry_key VARCHAR NOT NULL,      -- the feed's guid/id, else its link
    url VARCHAR,
    article_id VARCHAR,              -- the stored article this entry gave (NULL when quarantined)
    outcome VARCHAR,                 -- new | known | duplicate | quarantined
    text_from VARCHAR,               -- page | feed-summary
    seen_at TIMESTAMP DEFAULT current_timestamp,
    PRIMARY KEY (source, entry_key)
);
CREATE TABLE IF NOT EXISTS source_fetches (
    source VARCHAR NOT NULL,
    fetched_at TIMESTAMP DEFAULT current_timestamp,
    seconds DOUBLE,
    outcome VARCHAR                  -- ok | not-modified | error code
);
CREATE TABLE IF NOT EXISTS article_duplicates (
    article_id VARCHAR PRIMARY KEY,  -- a near-duplicate, stored without events
    original_id VARCHAR NOT NULL,    -- the article whose events it supports
    similarity DOUBLE                -- estimated Jaccard similarity of word 3-grams
);
CREATE TABLE IF NOT EXISTS article_minhash (
    article_id VARCHAR PRIMARY KEY,  -- originals only: what later articles are compared with
    signature BLOB
);
CREATE INDEX IF NOT EXISTS source_entries_article ON source_entries (article_id);
