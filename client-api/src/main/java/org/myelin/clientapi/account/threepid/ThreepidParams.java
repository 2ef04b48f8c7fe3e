package org.myelin.clientapi.account.threepid;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonFields;

import tools.jackson.databind.JsonNode;

/** Checks the parameters of the third-party identifier endpoints; each failure is 400 M_INVALID_PARAM or similar. */
public final class ThreepidParams {

    /** The spec's grammar for client secrets and session IDs (request_email_validation, RequestTokenResponse). */
    private static final Pattern SECRET = Pattern.compile("[0-9a-zA-Z.=_-]{1,255}");
    /** A forward path may be 256 octets including its angle brackets (RFC 5321 4.5.3.1.3). */
    private static final int MAX_EMAIL = 254;
    private static final Pattern EMAIL =
            Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}.]+");

    private ThreepidParams() {
    }

    /** The address lower-cased and trimmed, as Synapse stores it, or M_INVALID_PARAM. */
    public static String email(String raw) {
        String email = raw.strip().toLowerCase(Locale.ROOT);
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            throw MatrixException.invalidParam("Unable to parse the e-mail address");
        }
        return email;
    }

    /** A client secret or session ID of the spec's grammar, or M_INVALID_PARAM. */
    public static String secret(String value, String field) {
        if (!SECRET.matcher(value).matches()) {
            throw MatrixException.invalidParam(field + " must be 1 to 255 characters of [0-9a-zA-Z.=_-]");
        }
        return value;
    }

    /** The link to send the user to after validation: absent, or an absolute http(s) URL. */
    public static String nextLink(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw MatrixException.invalidParam("next_link must be an http or https URL");
    }

    /** The required integer {@code send_attempt}. */
    public static long sendAttempt(JsonNode body) {
        JsonNode value = body.get("send_attempt");
        if (value == null || value.isNull()) {
            throw MatrixException.missingParam("Missing parameter: send_attempt");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw MatrixException.badJson("send_attempt must be an integer");
        }
        return value.asLong();
    }

    /** The medium of /3pid/delete and /3pid/unbind: email or msisdn. */
    public static String medium(JsonNode body) {
        String medium = JsonFields.requiredString(body, "medium");
        if (!medium.equals("email") && !medium.equals("msisdn")) {
            throw MatrixException.invalidParam("medium must be email or msisdn");
        }
        return medium;
    }
}
