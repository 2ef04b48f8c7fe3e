package org.myelin.media;

import reactor.core.scheduler.Scheduler;

/**
 * The bounded scheduler thumbnails are made on (few threads, a bounded queue): decoding is CPU- and memory-heavy,
 * so only that many images are decoded at once, and a burst beyond the queue is refused instead of piling up.
 */
public record ThumbnailScheduler(Scheduler scheduler) {

    /** Stops its threads (at shutdown). */
    public void dispose() {
        scheduler.dispose();
    }
}
