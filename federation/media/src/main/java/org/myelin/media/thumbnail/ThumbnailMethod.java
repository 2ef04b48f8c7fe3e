package org.myelin.media.thumbnail;

import java.util.Locale;

/** The spec's two ways of fitting an image into a box. */
public enum ThumbnailMethod {
    /** Fill the box exactly, cutting what sticks out (the box's aspect ratio). */
    CROP,
    /** Fit inside the box (the image's aspect ratio). */
    SCALE;

    /** The wire name, {@code crop} or {@code scale}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method of a wire name, or null if it is neither. */
    public static ThumbnailMethod ofWire(String name) {
        return switch (name) {
            case "crop" -> CROP;
            case "scale" -> SCALE;
            default -> null;
        };
    }
}
