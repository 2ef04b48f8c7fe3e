package org.myelin.media.thumbnail;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Makes thumbnails with ImageIO (PNG, JPEG and GIF from the JDK, WebP from TwelveMonkeys). The image's format is
 * read from its bytes, not from the uploader's Content-Type, and only those four are decoded. Its declared width
 * and height are read first: an image over the pixel limit is refused before a single pixel is decoded, so a small
 * file declaring a huge canvas (a decompression bomb) costs nothing. Blocking and CPU-heavy: callers run it on
 * a bounded scheduler.
 */
public final class Thumbnailer {

    private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "webp");

    /** What a request gets. */
    public sealed interface Result {
    }

    /** The image already fits the box and is a static PNG or JPEG: serve it as it is. */
    public record Original(int width, int height) implements Result {
    }

    /** A new image, PNG or JPEG. */
    public record Made(byte[] bytes, String contentType, int width, int height) implements Result {
    }

    /** The image declares more pixels than allowed. */
    public static final class TooLargeException extends Exception {
        TooLargeException(long pixels, long max) {
            super("Image has " + pixels + " pixels; at most " + max + " can be thumbnailed");
        }
    }

    /** Not an image of a supported format, or one that does not decode. */
    public static final class UnsupportedImageException extends Exception {
        UnsupportedImageException(String message) {
            super(message);
        }
    }

    private final long maxPixels;

    public Thumbnailer(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public Result thumbnail(Path source, ThumbnailBox box) throws TooLargeException, UnsupportedImageException {
        try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
            ImageReader reader = readerFor(in);
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                long pixels = (long) width * height;
                if (pixels > maxPixels) {
                    throw new TooLargeException(pixels, maxPixels);
                }
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                boolean staticWebFormat = format.equals("png") || format.equals("jpeg");
                if (width <= box.width() && height <= box.height() && staticWebFormat) {
                    return new Original(width, height);
                }
                Target target = Target.of(width, height, box);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = target.subsampling(width, height);
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                boolean jpeg = format.equals("jpeg");
                BufferedImage out = target.render(decoded, jpeg ? BufferedImage.TYPE_INT_RGB
                        : BufferedImage.TYPE_INT_ARGB);
                return new Made(encode(out, jpeg ? "jpeg" : "png"), jpeg ? "image/jpeg" : "image/png",
                        out.getWidth(), out.getHeight());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedImageException("Cannot decode the image: " + e.getMessage());
        }
    }

    /** Whether the image has more than one frame (an animated GIF or WebP); false for other formats. */
    public boolean animated(Path source) throws UnsupportedImageException {
        try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
            ImageReader reader = readerFor(in);
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!format.equals("gif") && !format.equals("webp")) {
                    return false;
                }
                reader.setInput(in, false, true);
                return reader.getNumImages(true) > 1;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedImageException("Cannot decode the image: " + e.getMessage());
        }
    }

    private static ImageReader readerFor(ImageInputStream in) throws UnsupportedImageException {
        if (in == null) {
            throw new UnsupportedImageException("Cannot read the image");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try {
                if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                    return reader;
                }
            } catch (IOException e) {
                // a reader that cannot name its format is not one of ours
            }
            reader.dispose();
        }
        throw new UnsupportedImageException("Not a PNG, JPEG, GIF or WebP image");
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("No " + format + " writer");
        }
        return out.toByteArray();
    }

    /** The scaled size of the whole image and the part of it kept (all of it for scale, the centre for crop). */
    record Target(int scaledWidth, int scaledHeight, int width, int height) {

        static Target of(int width, int height, ThumbnailBox box) {
            double factor = box.method() == ThumbnailMethod.SCALE
                    ? Math.min((double) box.width() / width, (double) box.height() / height)
                    : Math.max((double) box.width() / width, (double) box.height() / height);
            factor = Math.min(1.0, factor);
            int sw = Math.max(1, (int) Math.round(width * factor));
            int sh = Math.max(1, (int) Math.round(height * factor));
            return box.method() == ThumbnailMethod.SCALE ? new Target(sw, sh, sw, sh)
                    : new Target(sw, sh, Math.min(box.width(), sw), Math.min(box.height(), sh));
        }

        /** Decode every n-th pixel when that still leaves at least twice the scaled size (much faster). */
        int subsampling(int width, int height) {
            return Math.max(1, Math.min(width / (2 * scaledWidth), height / (2 * scaledHeight)));
        }

        BufferedImage render(BufferedImage source, int type) {
            BufferedImage current = source;
            // Halve while more than twice too large: one bilinear step from far away would alias.
            while (current.getWidth() >= 2 * scaledWidth && current.getHeight() >= 2 * scaledHeight) {
                current = draw(current, current.getWidth() / 2, current.getHeight() / 2,
                        current.getWidth() / 2, current.getHeight() / 2, type);
            }
            return draw(current, scaledWidth, scaledHeight, width, height, type);
        }

        private static BufferedImage draw(BufferedImage source, int sw, int sh, int w, int h, int type) {
            BufferedImage out = new BufferedImage(w, h, type);
            Graphics2D g = out.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                if (type == BufferedImage.TYPE_INT_RGB) {
                    g.setColor(java.awt.Color.WHITE);
                    g.fillRect(0, 0, w, h);
                }
                g.drawImage(source, (w - sw) / 2, (h - sh) / 2, sw, sh, null);
            } finally {
                g.dispose();
            }
            return out;
        }
    }
}
