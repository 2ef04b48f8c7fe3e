package org.myelin.clientapi.account;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.stereotype.Component;

/** User IDs of this server: building them from localparts, and reading the localpart out of what clients send. */
@Component
public class LocalUsers {

    /** The spec's grammar for new localparts (appendices "User Identifiers"). */
    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");
    private static final int MAX_USER_ID_BYTES = 255;

    private final String serverName;

    public LocalUsers(ClientApiSettings settings) {
        this.serverName = settings.serverName();
    }

    public String serverName() {
        return serverName;
    }

    public String userId(String localpart) {
        return "@" + localpart + ":" + serverName;
    }

    /**
     * The lower-cased localpart for a new account, or M_INVALID_USERNAME saying what is wrong with it.
     * Like Synapse, upper-case input is folded rather than refused.
     */
    public String newLocalpart(String username) {
        String localpart = username.toLowerCase(Locale.ROOT);
        if (localpart.isEmpty() || !LOCALPART.matcher(localpart).matches()) {
            throw new MatrixException(ErrCode.M_INVALID_USERNAME,
                    "User ID may only contain a-z, 0-9, '.', '_', '=', '-', '/' and '+'");
        }
        if (localpart.startsWith("_")) {
            throw new MatrixException(ErrCode.M_INVALID_USERNAME, "User ID may not begin with '_'");
        }
        if (userId(localpart).getBytes(StandardCharsets.UTF_8).length > MAX_USER_ID_BYTES) {
            throw new MatrixException(ErrCode.M_INVALID_USERNAME, "User ID is longer than 255 bytes");
        }
        return localpart;
    }

    /**
     * The full user ID of a local user given as a localpart or a full ID, or null when it names another server
     * or cannot be a user ID at all.
     */
    public String resolve(String userOrLocalpart) {
        if (userOrLocalpart == null || userOrLocalpart.isEmpty()) {
            return null;
        }
        if (!userOrLocalpart.startsWith("@")) {
            return userId(userOrLocalpart.toLowerCase(Locale.ROOT));
        }
        int colon = userOrLocalpart.indexOf(':');
        if (colon < 2 || !userOrLocalpart.substring(colon + 1).equals(serverName)) {
            return null;
        }
        return userId(userOrLocalpart.substring(1, colon).toLowerCase(Locale.ROOT));
    }

    /** True when {@code userId} is syntactically a user of this server. */
    public boolean isLocal(String userId) {
        return userId != null && userId.startsWith("@") && userId.endsWith(":" + serverName)
                && userId.length() > serverName.length() + 2;
    }
}
