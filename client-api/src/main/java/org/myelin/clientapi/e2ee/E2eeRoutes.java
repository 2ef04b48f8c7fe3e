package org.myelin.clientapi.e2ee;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of the end-to-end encryption key APIs: keys, cross-signing and key backups. */
@Component
public class E2eeRoutes implements RouteContributor {

    private static final String V3 = "/_matrix/client/v3";

    private final KeyUploadHandler upload;
    private final KeyQueryHandler query;
    private final CrossSigningHandler crossSigning;
    private final SignatureUploadHandler signatures;
    private final KeyBackupHandler backup;

    public E2eeRoutes(KeyUploadHandler upload, KeyQueryHandler query, CrossSigningHandler crossSigning,
            SignatureUploadHandler signatures, KeyBackupHandler backup) {
        this.upload = upload;
        this.query = query;
        this.crossSigning = crossSigning;
        this.signatures = signatures;
        this.backup = backup;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(POST, V3 + "/keys/upload", upload::upload)
                .authed(POST, V3 + "/keys/query", query::query)
                .authed(POST, V3 + "/keys/claim", query::claim)
                .authed(GET, V3 + "/keys/changes", query::changes)
                .authed(POST, V3 + "/keys/device_signing/upload", crossSigning::upload)
                .authed(POST, V3 + "/keys/signatures/upload", signatures::upload)
                .authed(POST, V3 + "/room_keys/version", backup::create)
                .authed(GET, V3 + "/room_keys/version", backup::current)
                .authed(GET, V3 + "/room_keys/version/{version}", backup::get)
                .authed(PUT, V3 + "/room_keys/version/{version}", backup::update)
                .authed(DELETE, V3 + "/room_keys/version/{version}", backup::delete);
        for (String keys : new String[] {"/room_keys/keys", "/room_keys/keys/{roomId}",
                "/room_keys/keys/{roomId}/{sessionId}"}) {
            routes.authed(PUT, V3 + keys, backup::putKeys)
                    .authed(GET, V3 + keys, backup::getKeys)
                    .authed(DELETE, V3 + keys, backup::deleteKeys);
        }
    }
}
