package org.myelin.http;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;

/**
 * Typed reads of request body fields, the one place handlers check a field's JSON type and length: a missing
 * required field is M_MISSING_PARAM, a wrong type M_BAD_JSON, a string longer than its limit 400 M_TOO_LARGE. Every
 * string has a limit: the field's own ({@link TextLimits}) or {@link TextLimits#DEFAULT}.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** A required string field of at most {@link TextLimits#DEFAULT} characters. */
    public static String requiredString(JsonNode body, String field) {
        return requiredString(body, field, TextLimits.DEFAULT);
    }

    /** A required string field of at most {@code maxChars} characters. */
    public static String requiredString(JsonNode body, String field, int maxChars) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw new MatrixException(ErrCode.M_MISSING_PARAM, "Missing parameter: " + field);
        }
        return string(v, field, maxChars);
    }

    /** An optional string field of at most {@link TextLimits#DEFAULT} characters: null when absent or JSON null. */
    public static String optionalString(JsonNode body, String field) {
        return optionalString(body, field, TextLimits.DEFAULT);
    }

    /** An optional string field of at most {@code maxChars} characters: null when absent or JSON null. */
    public static String optionalString(JsonNode body, String field, int maxChars) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return string(v, field, maxChars);
    }

    /** {@code value}, which must be a string of at most {@code maxChars} characters. */
    public static String string(JsonNode value, String field, int maxChars) {
        if (!value.isString()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, "Parameter " + field + " must be a string");
        }
        String text = value.asString();
        if (text.length() > maxChars) {
            throw new MatrixException(ErrCode.M_TOO_LARGE, 400,
                    "Parameter " + field + " is longer than " + maxChars + " characters");
        }
        return text;
    }

    /** An optional boolean field with a default. */
    public static boolean optionalBoolean(JsonNode body, String field, boolean defaultValue) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, "Parameter " + field + " must be a boolean");
        }
        return v.booleanValue();
    }

    /** An optional object field: null when absent. */
    public static JsonNode optionalObject(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, "Parameter " + field + " must be an object");
        }
        return v;
    }
}
