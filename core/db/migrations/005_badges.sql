-- Badges: a monitor's public token for its status, uptime and response-time images.
ALTER TABLE monitors ADD COLUMN badge_token text;
CREATE UNIQUE INDEX monitors_badge_token_idx ON monitors (badge_token) WHERE badge_token IS NOT NULL;
