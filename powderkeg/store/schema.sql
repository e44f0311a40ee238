-- powderkeg store: articles, events, evidence, quarantine. Step 1 of store/migrations.py; never edited (a change is a new step).
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,          -- content hash of the normalised text
    url VARCHAR,
    title VARCHAR,
    published DATE,
    source VARCHAR,
    path VARCHAR,
    text VARCHAR,
    n_chars INTEGER,
    n_events INTEGER,
    meta JSON,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,          -- hash of article, trigger offset, type, mode and actors
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
    created_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS evidence (
    event_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,          -- trigger, source, target, place, date, numbers.killed, ...
    start_char INTEGER,              -- offsets into articles.text
    end_char INTEGER,
    text VARCHAR,
    PRIMARY KEY (event_id, field)
);
CREATE TABLE IF NOT EXISTS quarantine (
    id VARCHAR PRIMARY KEY,          -- hash of origin, content and error code
    origin VARCHAR,                  -- path, path:line or URL
    code VARCHAR,
    reason VARCHAR,
    content_hash VARCHAR,
    size BIGINT,
    first_seen TIMESTAMP DEFAULT current_timestamp,
    last_seen TIMESTAMP DEFAULT current_timestamp,
    times_seen INTEGER DEFAULT 1
);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE INDEX IF NOT EXISTS events_date ON events (date);
