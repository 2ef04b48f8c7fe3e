-- A sync source reads since = 0 as "this client has never seen this stream" and then reports the stream's current
-- state (all account data, push rules, current typing). A stream nobody has written yet stood at position 0, so
-- every incremental sync carried 0 for it and looked initial again: the push rules were resent on each sync and
-- long-polls returned at once. Positions start at 1 instead; 0 now only comes from a token without the stream.
UPDATE stream_positions SET position = 1 WHERE position = 0;
