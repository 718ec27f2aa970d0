-- Ending a user's sessions: tokens carry the generation they were issued in;
-- bumping it ends every token of the user at once, on every instance, except
-- the one session kept (the one that changed the password).
ALTER TABLE users ADD COLUMN token_generation integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN kept_session text;
