-- The outgoing federation queue reads, per destination, this server's own events in the timeline past what the
-- destination was sent (DestinationRepository.PENDING). Without an index on the sender's server it walked every
-- event above that position: after joining a room of 30,000 members over federation, the 30,000 outliers just
-- stored, once for each of the room's few hundred servers, holding the pool's connections for tens of seconds.
-- Only events that can be sent are indexed (the predicate is the query's), and by the sender's server first, so a
-- destination's pending events are a range of the index.
CREATE INDEX events_outgoing ON events ((substring(sender from position(':' in sender) + 1)), stream_ordering)
    WHERE NOT outlier AND rejected_reason IS NULL AND NOT soft_failed;
