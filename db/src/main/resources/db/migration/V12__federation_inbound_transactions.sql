-- Transactions received from other servers (PUT /_matrix/federation/v1/send/{txnId}), by origin and ID, with the
-- answer given, so that a retried transaction is answered again without being processed twice, on any node.
CREATE TABLE federation_inbound_transactions (
    origin       TEXT NOT NULL,
    txn_id       TEXT NOT NULL,
    response     TEXT,
    received_ts  BIGINT NOT NULL,
    PRIMARY KEY (origin, txn_id)
);
