-- The audio stage of generation jobs (text -> audio -> capture), and the audio format
-- of an item. `audio_url` holds the object key; playback URLs are signed per request.

ALTER TABLE generation_jobs DROP CONSTRAINT generation_jobs_stage_check;
ALTER TABLE generation_jobs ADD CONSTRAINT generation_jobs_stage_check
    CHECK (stage IN ('text', 'audio', 'capture', 'done'));

ALTER TABLE content_items ADD COLUMN audio_format TEXT;
