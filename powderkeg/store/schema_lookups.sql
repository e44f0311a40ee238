-- Step 3 of store/migrations.py; never edited. Indexes for reading one thing by its id: the evidence
-- of an event, and the merge log of a fused event (the API's /fused/{id}, `powderkeg show`).
-- Without them each is a scan of the whole table (6 ms at 200,000 events, growing with the store).
CREATE INDEX IF NOT EXISTS evidence_event ON evidence (event_id);
CREATE INDEX IF NOT EXISTS fuse_log_fused ON fuse_log (fused_id);
