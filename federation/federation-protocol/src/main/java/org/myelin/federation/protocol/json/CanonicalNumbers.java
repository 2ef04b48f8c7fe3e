package org.myelin.federation.protocol.json;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The canonical number rules: numbers are judged by value, not by how they were written. */
final class CanonicalNumbers {

    /** 2^53 - 1, the largest integer canonical JSON allows; the smallest is its negation. */
    static final BigInteger MAX_SAFE = BigInteger.TWO.pow(53).subtract(BigInteger.ONE);

    /**
     * NOTSPEC: exponents beyond this are refused even in lenient mode, so that {@code 1e999999999} cannot make
     * us build a billion-digit integer.
     */
    private static final int MAX_EXPONENT = 400;

    private CanonicalNumbers() {
    }

    /** The canonical node for a number: an integer node when its value is integral, else (lenient only) a decimal. */
    static JsonNode normalise(JsonNode number, Mode mode) {
        BigDecimal value = exactValue(number);
        BigInteger integral = integralValue(value);
        if (integral != null) {
            checkRange(integral, mode);
            return integral.bitLength() < 64
                    ? JsonNodeFactory.instance.numberNode(integral.longValue())
                    : JsonNodeFactory.instance.numberNode(integral);
        }
        rejectFractionIfStrict(mode);
        return JsonNodeFactory.instance.numberNode(value.stripTrailingZeros());
    }

    /** The canonical text of a number. */
    static String text(JsonNode number, Mode mode) {
        BigDecimal value = exactValue(number);
        BigInteger integral = integralValue(value);
        if (integral != null) {
            checkRange(integral, mode);
            return integral.toString();
        }
        rejectFractionIfStrict(mode);
        // NOTSPEC: the spec has no encoding for fractions; lenient (room v1–5) output keeps the exact value
        // in plain decimal notation so that re-encoding is stable.
        return value.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal exactValue(JsonNode number) {
        if (number.isIntegralNumber()) {
            return new BigDecimal(number.bigIntegerValue());
        }
        if ((number.isDouble() || number.isFloat()) && !Double.isFinite(number.doubleValue())) {
            throw MatrixException.badJson("NaN and Infinity are not JSON numbers");
        }
        BigDecimal value = number.decimalValue();
        int exponent = value.precision() - value.scale();
        if (Math.abs(exponent) > MAX_EXPONENT || value.scale() > MAX_EXPONENT) {
            throw MatrixException.badJson("Number out of range");
        }
        return value;
    }

    private static BigInteger integralValue(BigDecimal value) {
        if (value.signum() == 0) {
            return BigInteger.ZERO;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toBigIntegerExact() : null;
    }

    private static void checkRange(BigInteger integral, Mode mode) {
        if (mode == Mode.STRICT && integral.abs().compareTo(MAX_SAFE) > 0) {
            throw MatrixException.badJson("Integer outside [-(2**53)+1, (2**53)-1]");
        }
    }

    private static void rejectFractionIfStrict(Mode mode) {
        if (mode == Mode.STRICT) {
            throw MatrixException.badJson("Float values are not permitted in canonical JSON");
        }
    }
}
