package org.myelin.clientapi.sync;

import org.myelin.http.QueryParams;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Which state section a /sync response carries per room, as the client chose with {@code use_state_after}
 * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3sync): {@code state}, the state up to the
 * <b>start</b> of the timeline (the default), or {@code state_after}, the state up to its <b>end</b>, which the client
 * applies instead of the timeline's state events. matrix-js-sdk still asks with MSC4222's unstable
 * {@code org.matrix.msc4222.use_state_after} and reads the unstable field name, so that form answers under it.
 */
public enum StateSection {

    STATE("state"),
    STATE_AFTER("state_after"),
    UNSTABLE_STATE_AFTER("org.matrix.msc4222.state_after");

    static final String PARAM = "use_state_after";
    static final String UNSTABLE_PARAM = "org.matrix.msc4222.use_state_after";

    private final String field;

    StateSection(String field) {
        this.field = field;
    }

    /** The room object's field the state events go in. */
    public String field() {
        return field;
    }

    /** Whether the state is taken at the end of the timeline. */
    public boolean atTimelineEnd() {
        return this != STATE;
    }

    /**
     * The section the request's query parameters ask for: the stable {@code use_state_after} wins over the
     * unstable one when both are given; 400 M_INVALID_PARAM for a value other than true or false.
     */
    static StateSection of(ServerRequest request) {
        if (request.queryParam(PARAM).isPresent()) {
            return QueryParams.bool(request, PARAM) ? STATE_AFTER : STATE;
        }
        return QueryParams.bool(request, UNSTABLE_PARAM) ? UNSTABLE_STATE_AFTER : STATE;
    }
}
