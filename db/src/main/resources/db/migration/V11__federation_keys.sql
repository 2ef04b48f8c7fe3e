-- Other servers' key documents, as received (signatures included), so that a notary can serve them on and a
-- restart need not refetch them; server_keys (V1) keeps one row per key for lookups by key ID.
CREATE TABLE server_key_documents (
    server_name     TEXT PRIMARY KEY,
    document        TEXT NOT NULL,
    valid_until_ts  BIGINT NOT NULL,
    fetched_ts      BIGINT NOT NULL
);
