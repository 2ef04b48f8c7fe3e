package org.myelin.federation.protocol.crypto;

import java.util.Base64;
import java.util.Optional;

import org.myelin.federation.protocol.error.MatrixException;

/**
 * Unpadded Base64 (appendices "Unpadded Base64"): RFC 4648 without {@code =} padding, in the standard alphabet
 * or the URL-safe one ({@code -} and {@code _}) used by room v4+ event IDs and v12 room IDs.
 * Decoding accepts padded input, and ignores non-zero bits after the last whole byte (the spec's own test seed
 * ends in {@code ...XA1}).
 */
public final class UnpaddedBase64 {

    private static final Base64.Encoder STANDARD = Base64.getEncoder().withoutPadding();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private UnpaddedBase64() {
    }

    /** Encodes with the standard alphabet and no padding. */
    public static String encode(byte[] data) {
        return STANDARD.encodeToString(data);
    }

    /** Encodes with the URL-safe alphabet and no padding. */
    public static String encodeUrlSafe(byte[] data) {
        return URL_SAFE.encodeToString(data);
    }

    /** Decodes standard-alphabet base64, padded or not; throws {@code M_INVALID_PARAM} when malformed. */
    public static byte[] decode(String text) {
        return tryDecode(text).orElseThrow(() -> MatrixException.invalidParam("Invalid unpadded base64"));
    }

    /** Decodes URL-safe base64, padded or not; throws {@code M_INVALID_PARAM} when malformed. */
    public static byte[] decodeUrlSafe(String text) {
        return decodeWith(Base64.getUrlDecoder(), text)
                .orElseThrow(() -> MatrixException.invalidParam("Invalid URL-safe unpadded base64"));
    }

    /** Decodes standard-alphabet base64, or returns empty when the text is not base64. */
    public static Optional<byte[]> tryDecode(String text) {
        return decodeWith(Base64.getDecoder(), text);
    }

    private static Optional<byte[]> decodeWith(Base64.Decoder decoder, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(decoder.decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
