package org.myelin.http;

import java.util.Optional;

import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Reads numeric and boolean query parameters, answering a malformed one with 400 {@code M_INVALID_PARAM}. */
public final class QueryParams {

    private QueryParams() {
    }

    /** {@code value} as an int; {@code M_INVALID_PARAM} naming {@code name} if it is not one. */
    public static int integer(String value, String name) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name + " must be an integer");
        }
    }

    /** {@code value} as a long; {@code M_INVALID_PARAM} naming {@code name} if it is not one. */
    public static long longInteger(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name + " must be an integer");
        }
    }

    /** An optional non-negative long parameter (such as {@code timeout_ms}), else {@code defaultValue}. */
    public static long nonNegativeLong(ServerRequest request, String name, long defaultValue) {
        return request.queryParam(name).map(raw -> {
            long value = longInteger(raw, name);
            if (value < 0) {
                throw MatrixException.invalidParam(name + " must not be negative");
            }
            return value;
        }).orElse(defaultValue);
    }

    /** A required positive int parameter: {@code M_MISSING_PARAM} if absent. */
    public static int positiveInt(ServerRequest request, String name) {
        String raw = request.queryParam(name)
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter " + name));
        int value = integer(raw, name);
        if (value < 1) {
            throw MatrixException.invalidParam(name + " must be a positive integer");
        }
        return value;
    }

    /** An optional boolean parameter ({@code true} or {@code false}), false when absent. */
    public static boolean bool(ServerRequest request, String name) {
        Optional<String> value = request.queryParam(name);
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam(name + " must be true or false");
        };
    }
}
