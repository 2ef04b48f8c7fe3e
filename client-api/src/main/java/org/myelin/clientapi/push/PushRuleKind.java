package org.myelin.clientapi.push;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

/**
 * The kinds of push rule (https://spec.matrix.org/v1.19/client-server-api/#push-rules), declared in the order
 * they are evaluated: override, content, room, sender, underride.
 */
public enum PushRuleKind {
    OVERRIDE("override"),
    CONTENT("content"),
    ROOM("room"),
    SENDER("sender"),
    UNDERRIDE("underride");

    private final String wireName;

    PushRuleKind(String wireName) {
        this.wireName = wireName;
    }

    /** The kind's name in paths and rulesets, e.g. {@code "override"}. */
    public String wireName() {
        return wireName;
    }

    /** Whether rules of this kind carry {@code conditions} (override and underride). */
    public boolean hasConditions() {
        return this == OVERRIDE || this == UNDERRIDE;
    }

    /** The kind named {@code name}; 400 M_UNRECOGNIZED for anything else, as Synapse answers. */
    public static PushRuleKind parse(String name) {
        for (PushRuleKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new MatrixException(ErrCode.M_UNRECOGNIZED, 400, "Unknown push rule kind: " + name);
    }
}
