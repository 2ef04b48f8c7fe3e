package org.myelin.clientapi.http;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;

/** Typed reads of request body fields, failing with M_MISSING_PARAM or M_BAD_JSON as the spec expects. */
public final class JsonFields {

    private JsonFields() {
    }

    /** A required string field. */
    public static String requiredString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw new MatrixException(ErrCode.M_MISSING_PARAM, "Missing parameter: " + field);
        }
        if (!v.isString()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, "Parameter " + field + " must be a string");
        }
        return v.asString();
    }

    /** An optional string field: null when absent or JSON null. */
    public static String optionalString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, "Parameter " + field + " must be a string");
        }
        return v.asString();
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
