package org.myelin.federation.protocol;

import java.util.HexFormat;
import java.util.List;

import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;

/**
 * The signing key of the spec's "Cryptographic Test Vectors": server {@code domain}, key {@code ed25519:1},
 * seed {@code YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1}. Shared through the test-jar so other modules can
 * sign fixtures that the published and derived vectors also use.
 */
public final class SpecTestKey {

    /** The server name the spec signs under. */
    public static final ServerName SERVER = ServerName.parse("domain");

    /** The key ID the spec signs under. */
    public static final KeyId KEY_ID = KeyId.parse("ed25519:1");

    /** The 32-byte seed in hex, as given in vectors/appendices/signing.json. */
    public static final String SEED_HEX = "6090c103d5e7af6b15a970fd563ed75549e6159719ae5c3c31dee4316fb75c0d";

    /** The public key derived from the seed, unpadded base64. */
    public static final String PUBLIC_KEY_BASE64 = "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI";

    private SpecTestKey() {
    }

    /** The spec's signing key. */
    public static SigningKey signingKey() {
        return SigningKey.fromSeed(KEY_ID, HexFormat.of().parseHex(SEED_HEX));
    }

    /** A key lookup that knows only the spec key of {@link #SERVER}. */
    public static PublicKeys publicKeys() {
        return PublicKeys.of(SERVER, List.of(signingKey().verifyKey()));
    }
}
