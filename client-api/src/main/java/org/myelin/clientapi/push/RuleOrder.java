package org.myelin.clientapi.push;

import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

/**
 * Where a created or updated user rule goes among the user's rules of its kind
 * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleid): just before
 * {@code before}, else just after {@code after}, else where it already was, else first. {@code before} and
 * {@code after} must name another user-defined rule of the kind.
 */
public final class RuleOrder {

    private RuleOrder() {
    }

    /**
     * The new order of {@code current} (most important first) with {@code ruleId} placed; 400 M_UNKNOWN, the
     * spec's example, when {@code before} or {@code after} names no other user-defined rule.
     */
    public static List<String> place(List<String> current, String ruleId, String before, String after) {
        List<String> order = new ArrayList<>(current);
        int previous = order.indexOf(ruleId);
        order.remove(ruleId);
        int at;
        if (before != null) {
            at = indexOf(order, before);
        } else if (after != null) {
            at = indexOf(order, after) + 1;
        } else {
            at = Math.max(previous, 0);
        }
        order.add(at, ruleId);
        return List.copyOf(order);
    }

    private static int indexOf(List<String> order, String relativeTo) {
        int index = order.indexOf(relativeTo);
        if (index < 0) {
            throw new MatrixException(ErrCode.M_UNKNOWN, 400, "before/after rule not found: " + relativeTo);
        }
        return index;
    }
}
