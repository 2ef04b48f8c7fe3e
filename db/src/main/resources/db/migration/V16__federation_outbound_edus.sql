-- EDUs waiting to be sent to another server (typing, receipts; later device lists, to-device), oldest first;
-- a row is deleted once a transaction carrying it was accepted.
CREATE TABLE federation_outbound_edus (
    id           BIGSERIAL PRIMARY KEY,
    destination  TEXT NOT NULL,
    edu_type     TEXT NOT NULL,
    content      TEXT NOT NULL,
    created_ts   BIGINT NOT NULL
);
CREATE INDEX federation_outbound_edus_destination ON federation_outbound_edus (destination, id);
