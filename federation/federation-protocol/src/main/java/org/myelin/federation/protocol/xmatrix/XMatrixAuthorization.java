package org.myelin.federation.protocol.xmatrix;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code Authorization: X-Matrix origin=...,destination=...,key=...,sig=...} header of a federation request
 * (server-server API "Request Authentication").
 *
 * @param origin      the sending server
 * @param destination the receiving server; absent only in headers from servers older than spec v1.3
 * @param key         the ID of the origin's key that made the signature
 * @param signature   the unpadded base64 signature of the request JSON
 */
public record XMatrixAuthorization(ServerName origin, Optional<ServerName> destination, KeyId key, String signature) {

    private static final String SCHEME = "X-Matrix";

    /**
     * Parses a header value; unknown parameters are ignored. Throws {@code 401 M_UNAUTHORIZED} when the header is
     * malformed or lacks {@code origin}, {@code key} or {@code sig}.
     */
    public static XMatrixAuthorization parse(String header) {
        Map<String, String> params = AuthParams.parse(header, SCHEME);
        String origin = required(params, "origin");
        String key = required(params, "key");
        String signature = required(params, "sig");
        try {
            return new XMatrixAuthorization(ServerName.parse(origin),
                    Optional.ofNullable(params.get("destination")).map(ServerName::parse), KeyId.parse(key), signature);
        } catch (MatrixException e) {
            throw AuthParams.malformed(e.getMessage());
        }
    }

    /** Signs {@code request} with the origin's key and returns the header that carries the signature. */
    public static XMatrixAuthorization sign(XMatrixRequest request, SigningKey key) {
        ObjectNode signed = JsonSigner.sign(request.toJson(), request.origin(), key);
        String signature = signed.get("signatures").get(request.origin().value()).get(key.keyId().toString()).stringValue();
        return new XMatrixAuthorization(request.origin(), Optional.of(request.destination()), key.keyId(), signature);
    }

    /** The header value in the form the spec asks senders to use. */
    public String toHeaderValue() {
        StringBuilder header = new StringBuilder(SCHEME).append(" origin=").append(quote(origin.value()));
        destination.ifPresent(d -> header.append(",destination=").append(quote(d.value())));
        return header.append(",key=").append(quote(key.toString()))
                .append(",sig=").append(quote(signature)).toString();
    }

    /**
     * True when the request was meant for {@code receiver}: the destination matches, or is absent (older
     * senders). The spec requires a 401 when it is present and different.
     */
    public boolean isAddressedTo(ServerName receiver) {
        return destination.map(receiver::equals).orElse(true);
    }

    /**
     * Checks the signature against the request as {@code receiver} saw it, using {@code originKey}, the
     * origin's key named by {@link #key()}. A key with another ID gives {@link SignatureCheck#UNKNOWN_KEY}.
     *
     * @param content the parsed request body; empty when the request had none
     */
    public SignatureCheck verify(String method, String uri, ServerName receiver, Optional<JsonNode> content,
                                 VerifyKey originKey) {
        if (!originKey.keyId().equals(key)) {
            return SignatureCheck.UNKNOWN_KEY;
        }
        ObjectNode json = new XMatrixRequest(method, uri, origin, receiver, content).toJson();
        json.putObject("signatures").putObject(origin.value()).put(key.toString(), signature);
        return JsonSigner.verify(json, origin, PublicKeys.of(origin, List.of(originKey)));
    }

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            throw AuthParams.malformed("missing " + name);
        }
        return value;
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
