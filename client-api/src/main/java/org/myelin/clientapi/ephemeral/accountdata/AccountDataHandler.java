package org.myelin.clientapi.ephemeral.accountdata;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.ephemeral.JoinedRooms;
import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.federation.protocol.account.IgnoredUsers;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/** Client config (https://spec.matrix.org/v1.19/client-server-api/#client-config): one's own account data. */
@Component
public class AccountDataHandler {

    private final JsonBodies bodies;
    private final AccountDataService accountData;

    public AccountDataHandler(JsonBodies bodies, AccountDataService accountData) {
        this.bodies = bodies;
        this.accountData = accountData;
    }

    /**
     * PUT /_matrix/client/v3/user/{userId}/account_data/{type}
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridaccount_datatype). An
     * {@code m.ignored_user_list} naming the user themselves is 400 M_INVALID_PARAM.
     */
    public Mono<ServerResponse> putGlobal(ServerRequest request, Requester requester) {
        return put(request, requester, AccountDataRepository.GLOBAL);
    }

    /**
     * GET /_matrix/client/v3/user/{userId}/account_data/{type}
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridaccount_datatype).
     */
    public Mono<ServerResponse> getGlobal(ServerRequest request, Requester requester) {
        return get(request, requester, AccountDataRepository.GLOBAL);
    }

    /**
     * PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridroomsroomidaccount_datatype).
     */
    public Mono<ServerResponse> putRoom(ServerRequest request, Requester requester) {
        return put(request, requester, RoomId.parse(request.pathVariable("roomId")).toString());
    }

    /**
     * GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridroomsroomidaccount_datatype).
     */
    public Mono<ServerResponse> getRoom(ServerRequest request, Requester requester) {
        return get(request, requester, RoomId.parse(request.pathVariable("roomId")).toString());
    }

    private Mono<ServerResponse> put(ServerRequest request, Requester requester, String roomId) {
        JoinedRooms.requireSelf(request.pathVariable("userId"), requester.userId(), "add account data");
        String type = request.pathVariable("type");
        refuseServerManaged(type);
        return bodies.object(request)
                .doOnNext(content -> {
                    if (AccountDataRepository.GLOBAL.equals(roomId) && IgnoredUsers.TYPE.equals(type)) {
                        IgnoredUsers.checkWritable(requester.userId(), content);
                    }
                })
                .flatMap(content -> accountData.put(requester.userId(), roomId, type, content))
                .then(Responses.empty());
    }

    private Mono<ServerResponse> get(ServerRequest request, Requester requester, String roomId) {
        JoinedRooms.requireSelf(request.pathVariable("userId"), requester.userId(), "get account data");
        return accountData.find(requester.userId(), roomId, request.pathVariable("type"))
                .flatMap(Responses::ok)
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Account data not found")));
    }

    /**
     * 405 M_BAD_JSON for types the server controls: {@code m.fully_read} (set through read markers) and
     * {@code m.push_rules} (set through the push rules API), as the spec and Synapse answer.
     */
    static void refuseServerManaged(String type) {
        if ("m.fully_read".equals(type) || "m.push_rules".equals(type)) {
            throw new MatrixException(ErrCode.M_BAD_JSON, 405, "Cannot set " + type + " through this API");
        }
    }
}
