package org.myelin.media.thumbnail;

import java.util.Comparator;
import java.util.List;

/**
 * Which box answers a thumbnail request. The spec's five sizes (32x32 and 96x96 crop; 320x240, 640x480 and 800x600
 * scale), as Synapse makes them, serve every request they can: the smallest of the requested method that is at
 * least as large as the request. A request larger than all of them gets a box of exactly its size, made on demand.
 * Either way the result is never smaller than asked unless the image itself is (images are never upscaled).
 */
public final class ThumbnailSizes {

    /** The sizes the spec asks servers to produce. */
    public static final List<ThumbnailBox> STANDARD = List.of(
            new ThumbnailBox(32, 32, ThumbnailMethod.CROP),
            new ThumbnailBox(96, 96, ThumbnailMethod.CROP),
            new ThumbnailBox(320, 240, ThumbnailMethod.SCALE),
            new ThumbnailBox(640, 480, ThumbnailMethod.SCALE),
            new ThumbnailBox(800, 600, ThumbnailMethod.SCALE));

    private ThumbnailSizes() {
    }

    public static ThumbnailBox choose(ThumbnailBox requested) {
        return STANDARD.stream().filter(b -> b.method() == requested.method() && b.covers(requested))
                .min(Comparator.comparingLong(ThumbnailBox::area)).orElse(requested);
    }
}
