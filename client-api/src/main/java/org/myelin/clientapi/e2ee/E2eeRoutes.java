package org.myelin.clientapi.e2ee;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of the end-to-end encryption key APIs: keys, cross-signing, key backups and dehydrated devices. */
@Component
public class E2eeRoutes implements RouteContributor {

    private static final String V3 = "/_matrix/client/v3";
    private static final String MSC3814 = "/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device";

    private final KeyUploadHandler upload;
    private final KeyQueryHandler query;
    private final CrossSigningHandler crossSigning;
    private final SignatureUploadHandler signatures;
    private final KeyBackupHandler backup;
    private final DehydratedDeviceHandler dehydrated;

    public E2eeRoutes(KeyUploadHandler upload, KeyQueryHandler query, CrossSigningHandler crossSigning,
            SignatureUploadHandler signatures, KeyBackupHandler backup, DehydratedDeviceHandler dehydrated) {
        this.upload = upload;
        this.query = query;
        this.crossSigning = crossSigning;
        this.signatures = signatures;
        this.backup = backup;
        this.dehydrated = dehydrated;
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
                .authed(DELETE, V3 + "/room_keys/version/{version}", backup::delete)
                .authed(PUT, MSC3814, dehydrated::put)
                .authed(GET, MSC3814, dehydrated::get)
                .authed(DELETE, MSC3814, dehydrated::delete)
                .authed(POST, MSC3814 + "/{deviceId}/events", dehydrated::events);
        for (String keys : new String[] {"/room_keys/keys", "/room_keys/keys/{roomId}",
                "/room_keys/keys/{roomId}/{sessionId}"}) {
            routes.authed(PUT, V3 + keys, backup::putKeys)
                    .authed(GET, V3 + keys, backup::getKeys)
                    .authed(DELETE, V3 + keys, backup::deleteKeys);
        }
    }
}
