-- URL previews (issue #12, GET /_matrix/client/v1/media/preview_url): the OpenGraph answer for a URL, kept until
-- expires_ts so that every user and node asking for the same URL within that time gets it without a new fetch. Its
-- og:image is an mxc:// URI of a media row (the image was downloaded into the content repository).
CREATE TABLE url_previews (
    url         TEXT PRIMARY KEY,
    og          TEXT NOT NULL,
    fetched_ts  BIGINT NOT NULL,
    expires_ts  BIGINT NOT NULL
);
CREATE INDEX url_previews_by_expiry ON url_previews (expires_ts);
