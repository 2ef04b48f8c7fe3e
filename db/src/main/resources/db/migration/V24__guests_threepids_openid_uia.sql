-- Accounts and sessions (issue #10 §3): guest accounts, e-mail addresses (third-party identifiers) and their
-- validation sessions, OpenID tokens, and User-Interactive Authentication sessions bound to the request they began.

-- A guest account (POST /register?kind=guest) until it is upgraded by a registration with its access token.
ALTER TABLE users ADD COLUMN is_guest BOOLEAN NOT NULL DEFAULT FALSE;

-- Addresses a user has proved they own (spec: "Adding Account Administrative Contact Information"). One address
-- belongs to at most one account; addresses are stored lower-cased.
CREATE TABLE user_threepids (
    medium        TEXT NOT NULL,                  -- 'email'
    address       TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (user_id),
    validated_ts  BIGINT NOT NULL,                -- when the address was validated (ms since epoch)
    added_ts      BIGINT NOT NULL,                -- when it was associated with the account
    PRIMARY KEY (medium, address)
);
CREATE INDEX user_threepids_user ON user_threepids (user_id);

-- Validation sessions started by a /requestToken: the token mailed to the address (only its SHA-256 is kept) and
-- whether it was submitted. A session is found again by (client secret, medium, address, purpose), so a retried
-- request with the same send_attempt sends nothing and answers the same sid.
CREATE TABLE threepid_sessions (
    sid            TEXT PRIMARY KEY,
    client_secret  TEXT NOT NULL,
    medium         TEXT NOT NULL,
    address        TEXT NOT NULL,
    purpose        TEXT NOT NULL,                 -- 'register', 'add' or 'password'
    token_hash     BYTEA NOT NULL,
    send_attempt   BIGINT NOT NULL,
    next_link      TEXT,
    validated_ts   BIGINT,                        -- NULL until the token was submitted
    created_ts     BIGINT NOT NULL,
    expires_ts     BIGINT NOT NULL,
    UNIQUE (client_secret, medium, address, purpose)
);
CREATE INDEX threepid_sessions_expiry ON threepid_sessions (expires_ts);

-- OpenID tokens (POST /user/{userId}/openid/request_token): other services exchange them for the user's ID over
-- GET /_matrix/federation/v1/openid/userinfo. Stored only as SHA-256 hashes, like access tokens.
CREATE TABLE openid_tokens (
    token_hash  BYTEA PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (user_id),
    expires_ts  BIGINT NOT NULL
);
CREATE INDEX openid_tokens_expiry ON openid_tokens (expires_ts);

-- A UIA session is bound to the operation that began it (method, URI and body without "auth"): a later request
-- for another operation may not use it. The body is also what a continuation with only "auth" falls back on.
ALTER TABLE uia_sessions ADD COLUMN request_method TEXT NOT NULL DEFAULT '';
ALTER TABLE uia_sessions ADD COLUMN request_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE uia_sessions ADD COLUMN request_body JSONB NOT NULL DEFAULT '{}';
