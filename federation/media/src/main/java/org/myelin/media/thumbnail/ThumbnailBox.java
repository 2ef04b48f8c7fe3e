package org.myelin.media.thumbnail;

/** A thumbnail size class: a width x height box and how the image fits it. */
public record ThumbnailBox(int width, int height, ThumbnailMethod method) {

    public ThumbnailBox {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("A thumbnail box needs a positive width and height");
        }
    }

    /** At least as wide and as high as {@code other}. */
    boolean covers(ThumbnailBox other) {
        return width >= other.width && height >= other.height;
    }

    long area() {
        return (long) width * height;
    }
}
