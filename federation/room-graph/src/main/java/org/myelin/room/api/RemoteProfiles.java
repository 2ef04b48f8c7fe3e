package org.myelin.room.api;

import java.util.Map;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/** Another server's user's profile, asked of that server (implemented by the server-server API). */
@FunctionalInterface
public interface RemoteProfiles {

    /** Without federation: other servers' users have no profile here. */
    RemoteProfiles NONE = user -> Mono.error(MatrixException.notFound("Profile not found"));

    /** The profile's fields as the user's server answers them; 404 {@code M_NOT_FOUND} when it has none. */
    Mono<Map<String, Object>> profile(UserId user);
}
