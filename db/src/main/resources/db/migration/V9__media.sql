-- The content repository (issue #12). V1 sketched `media`; this completes it.
--
-- A row is one mxc://server_name/media_id. Its bytes live in the media store (local directory or S3) under their
-- SHA-256, so identical uploads share one blob; sha256 is NULL while an ID made by POST /media/v1/create waits for
-- its upload (until unused_expires_ts). `restricted`: uploaded while unauthenticated downloads were frozen, so the
-- deprecated /_matrix/media/v3/download|thumbnail answer 404 for it.
ALTER TABLE media
    ADD COLUMN sha256            TEXT,
    ADD COLUMN last_access_ts    BIGINT,
    ADD COLUMN unused_expires_ts BIGINT,
    ADD COLUMN restricted        BOOLEAN NOT NULL DEFAULT TRUE,
    ADD COLUMN quarantined_by    TEXT;

UPDATE media SET last_access_ts = created_ts WHERE last_access_ts IS NULL;
ALTER TABLE media ALTER COLUMN last_access_ts SET NOT NULL;

-- Quotas and "delete a user's media" read a user's rows; pending counts read the pending ones.
CREATE INDEX media_by_user ON media (user_id, created_ts) WHERE user_id IS NOT NULL;
CREATE INDEX media_pending ON media (unused_expires_ts) WHERE sha256 IS NULL;
-- Blob reference counts: is any row, media or thumbnail, still using this content?
CREATE INDEX media_by_sha256 ON media (sha256) WHERE sha256 IS NOT NULL;

-- Thumbnails, generated when first asked for and kept: one per media, box, method and type. width x height is the
-- box it was made for (one of the spec's five sizes, or an on-demand one), which is how requests find it; the image
-- itself fits that box as its method says, never upscaled. Their bytes are blobs of the media store too (a
-- thumbnail of an image already smaller than its box is the original's blob).
CREATE TABLE media_thumbnails (
    server_name   TEXT NOT NULL,
    media_id      TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    method        TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    created_ts    BIGINT NOT NULL,
    PRIMARY KEY (server_name, media_id, width, height, method, content_type),
    FOREIGN KEY (server_name, media_id) REFERENCES media (server_name, media_id) ON DELETE CASCADE
);
CREATE INDEX media_thumbnails_by_sha256 ON media_thumbnails (sha256);
