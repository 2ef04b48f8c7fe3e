package org.myelin.federation.protocol.crypto;

/** The outcome of checking whether an entity signed a JSON object (appendices "Checking for a Signature"). */
public enum SignatureCheck {
    /** Every signature under a known key verified, and there was at least one. */
    VALID,
    /** The object has no signature from the entity with an algorithm we understand. */
    NOT_SIGNED,
    /** The entity signed, but none of its key IDs has a known verification key. */
    UNKNOWN_KEY,
    /** A signature under a known key was not valid base64 or did not verify. */
    INVALID;

    /** True only for {@link #VALID}. */
    public boolean isValid() {
        return this == VALID;
    }
}
