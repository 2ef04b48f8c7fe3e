package org.myelin.federation.protocol.room;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.room.RoomVersion.EventIdFormat;
import org.myelin.federation.protocol.room.RoomVersion.RedactionAlgorithm;
import org.myelin.federation.protocol.room.RoomVersion.StateResolutionAlgorithm;

/**
 * The table of room versions 1–12 as the spec defines them, and the default for new rooms.
 * Columns follow the {@link RoomVersion} record components in order.
 */
public final class RoomVersions {

    private static final EventIdFormat SERVER = EventIdFormat.SERVER_GENERATED;
    private static final EventIdFormat STD = EventIdFormat.REFERENCE_HASH_STANDARD_BASE64;
    private static final EventIdFormat URL = EventIdFormat.REFERENCE_HASH_URL_SAFE_BASE64;
    private static final StateResolutionAlgorithm SR1 = StateResolutionAlgorithm.V1;
    private static final StateResolutionAlgorithm SR2 = StateResolutionAlgorithm.V2;
    private static final StateResolutionAlgorithm SR21 = StateResolutionAlgorithm.V2_1;
    private static final boolean T = true;
    private static final boolean F = false;

    //                                              strictJson keyValid aliases notifPL knock restr knockR intPL implCreator redactsInC hydraId privCreators idDomainSig
    public static final RoomVersion V1 = new RoomVersion("1", T, SERVER, RedactionAlgorithm.V1, SR1,
            F, F, T, F, F, F, F, F, F, F, F, F, T);
    public static final RoomVersion V2 = new RoomVersion("2", T, SERVER, RedactionAlgorithm.V1, SR2,
            F, F, T, F, F, F, F, F, F, F, F, F, T);
    public static final RoomVersion V3 = new RoomVersion("3", T, STD, RedactionAlgorithm.V1, SR2,
            F, F, T, F, F, F, F, F, F, F, F, F, F);
    public static final RoomVersion V4 = new RoomVersion("4", T, URL, RedactionAlgorithm.V1, SR2,
            F, F, T, F, F, F, F, F, F, F, F, F, F);
    public static final RoomVersion V5 = new RoomVersion("5", T, URL, RedactionAlgorithm.V1, SR2,
            F, T, T, F, F, F, F, F, F, F, F, F, F);
    public static final RoomVersion V6 = new RoomVersion("6", T, URL, RedactionAlgorithm.V6, SR2,
            T, T, F, T, F, F, F, F, F, F, F, F, F);
    public static final RoomVersion V7 = new RoomVersion("7", T, URL, RedactionAlgorithm.V6, SR2,
            T, T, F, T, T, F, F, F, F, F, F, F, F);
    public static final RoomVersion V8 = new RoomVersion("8", T, URL, RedactionAlgorithm.V8, SR2,
            T, T, F, T, T, T, F, F, F, F, F, F, F);
    public static final RoomVersion V9 = new RoomVersion("9", T, URL, RedactionAlgorithm.V9, SR2,
            T, T, F, T, T, T, F, F, F, F, F, F, F);
    public static final RoomVersion V10 = new RoomVersion("10", T, URL, RedactionAlgorithm.V9, SR2,
            T, T, F, T, T, T, T, T, F, F, F, F, F);
    public static final RoomVersion V11 = new RoomVersion("11", T, URL, RedactionAlgorithm.V11, SR2,
            T, T, F, T, T, T, T, T, T, T, F, F, F);
    public static final RoomVersion V12 = new RoomVersion("12", T, URL, RedactionAlgorithm.V11, SR21,
            T, T, F, T, T, T, T, T, T, T, T, T, F);

    /** The spec's recommended default for new rooms (v1.19). */
    public static final RoomVersion DEFAULT = V12;

    private static final Map<String, RoomVersion> BY_ID;

    static {
        Map<String, RoomVersion> byId = new LinkedHashMap<>();
        for (RoomVersion v : new RoomVersion[] {V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12}) {
            byId.put(v.id(), v);
        }
        BY_ID = Collections.unmodifiableMap(byId);
    }

    private RoomVersions() {
    }

    /** The version with this id, or empty when Myelin does not know it. */
    public static Optional<RoomVersion> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** Every known version, in ascending order. */
    public static Map<String, RoomVersion> all() {
        return BY_ID;
    }
}
