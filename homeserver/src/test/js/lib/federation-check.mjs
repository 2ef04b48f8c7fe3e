// Checks one server-server exchange (a request one Myelin sent to another and the answer it got) against the
// v1.19 server-server OpenAPI files: the operation (method + path template), its path and query parameters, its
// request body, the X-Matrix `Authorization` where the operation is `signedRequest` (well-formed, addressed to the
// receiving server, signed by the origin's key), the response status and body. Where the spec says "the event
// format varies depending on the room version", each PDU is also checked against the PDU definition of its room's
// version (definitions/pdu_v*.yaml), and each EDU of a /send against the definition of its `edu_type`.
//
// Problems are { operationId, direction, pointer, message }: direction "request" (what the sending Myelin wrote)
// or "response" (what the receiving Myelin answered).

import { createPublicKey, verify } from "node:crypto";

/** Which PDU definition a room version's events follow (the `description` of each pdu_v*.yaml). */
function pduDefinition(roomVersion) {
    const v = Number(roomVersion);
    if (!Number.isInteger(v) || v < 1) return null;
    if (v <= 2) return "pdu_v1.yaml";
    if (v === 3) return "pdu_v3.yaml";
    if (v <= 5) return "pdu_v4.yaml";
    if (v <= 10) return "pdu_v6.yaml";
    if (v === 11) return "pdu_v11.yaml";
    return "pdu_v12.yaml";
}

/** Where the PDUs (signed events) of each operation's request and response are: JSON pointers, `*` for array items. */
const PDU_LOCATIONS = {
    sendTransaction: { request: ["/pdus/*"] },
    backfillRoom: { response: ["/pdus/*"] },
    getMissingPreviousEvents: { response: ["/events/*"] },
    getEvent: { response: ["/pdus/*"] },
    getRoomState: { response: ["/pdus/*", "/auth_chain/*"] },
    getEventAuth: { response: ["/auth_chain/*"] },
    sendJoinV2: { request: [""], response: ["/state/*", "/auth_chain/*", "/event"] },
    sendLeaveV2: { request: [""] },
    sendKnock: { request: [""] },
    sendInviteV2: { request: ["/event"], response: ["/event"] },
    sendInviteV1: { request: [""] },
};

const EDU_DEFINITIONS = new Set(["m.typing", "m.receipt", "m.presence", "m.direct_to_device", "m.device_list_update",
    "m.signing_key_update"]);

/**
 * Places where the spec's own schema is wrong, so a body that follows the spec text fails it. Each entry:
 * { schema: an operationId or a PDU/EDU definition file, pointer: a RegExp on the JSON pointer inside what that
 * schema validates, message: a RegExp on the problem, when(value): whether the validated value is the case the
 * text describes, why: the spec text that shows the schema wrong }. Never for a Myelin bug: those are fixed in Myelin.
 */
export const SPEC_SCHEMA_ERRATA = [
    {
        schema: "pdu_v12.yaml",
        pointer: /^$/,
        message: /must have required property 'room_id'/,
        when: (pdu) => pdu.type === "m.room.create" && pdu.state_key === "",
        why: "components/room_id_v12.yaml lists room_id as required, yet its own description says \"Omitted from "
            + "`m.room.create` events\", and the v12 auth rules (text/rooms/v12.md, rule 1.2) say of m.room.create: "
            + "\"If the event has a `room_id`, reject.\"",
    },
];

function* pointersOf(value, pattern, prefix = "") {
    const [head, ...rest] = pattern.split("/").slice(1);
    if (head === undefined) {
        if (value !== undefined) yield { pointer: prefix, value };
        return;
    }
    const tail = rest.length ? `/${rest.join("/")}` : "";
    if (head === "*") {
        if (!Array.isArray(value)) return;
        for (let i = 0; i < value.length; i++) yield* pointersOf(value[i], tail, `${prefix}/${i}`);
        return;
    }
    if (value === null || typeof value !== "object" || !(head in value)) return;
    yield* pointersOf(value[head], tail, `${prefix}/${head}`);
}

/** Matrix canonical JSON (appendices, "Canonical JSON") of a value parsed from JSON. */
export function canonicalJson(value) {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    if (value !== null && typeof value === "object") {
        const keys = Object.keys(value).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
        return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/**
 * The parameters of an `Authorization: X-Matrix ...` header (RFC 9110 section 11.4 auth-params, names lower-cased,
 * quoted values unescaped), or a string saying why it is malformed.
 */
export function parseXMatrix(header) {
    const m = /^X-Matrix +(.*)$/s.exec(header);
    if (!m) return `does not start with "X-Matrix " (${JSON.stringify(header.slice(0, 40))})`;
    const params = {};
    const text = m[1];
    let i = 0;
    const token = /[!#$%&'*+\-.^_`|~0-9A-Za-z:]+/y; // tchar, plus the colons the spec asks recipients to allow
    while (i < text.length) {
        token.lastIndex = i;
        const name = token.exec(text);
        if (!name || text[i + name[0].length] !== "=") return `no name=value at ${JSON.stringify(text.slice(i, i + 20))}`;
        i += name[0].length + 1;
        let value;
        if (text[i] === '"') {
            value = "";
            for (i++; i < text.length && text[i] !== '"'; i++) value += text[i] === "\\" ? text[++i] : text[i];
            if (text[i] !== '"') return `unterminated quoted value of ${name[0]}`;
            i++;
        } else {
            token.lastIndex = i;
            const bare = token.exec(text);
            if (!bare) return `empty or invalid value of ${name[0]}`;
            value = bare[0];
            i += bare[0].length;
        }
        params[name[0].toLowerCase()] = value;
        const sep = /[ \t]*(,[ \t]*|$)/y;
        sep.lastIndex = i;
        const s = sep.exec(text);
        if (!s || (s[0] === "" && i < text.length)) return `junk after ${name[0]}: ${JSON.stringify(text.slice(i, i + 20))}`;
        i += s[0].length;
    }
    return params;
}

export class FederationChecker {
    /**
     * `spec`: a Spec; `keys(serverName)`: resolves to { keyId: base64 public key } of a server (its
     * /_matrix/key/v2/server), or null when it is not one of the servers under test.
     */
    constructor(spec, { keys }) {
        this.spec = spec;
        this.keys = keys;
        /** room ID -> room version, learnt from the traffic (make_*, invites, create events). */
        this.roomVersions = new Map();
        /** PDUs checked against their room version's definition, PDUs of rooms whose version was not learnt, EDUs by type. */
        this.counts = { pdus: 0, pdusOfUnknownVersion: 0, unknownVersionRooms: new Set(), edus: new Map() };
    }

    findOperations(method, pathname) {
        const matching = this.spec.federationOperations.filter((op) => op.method === method && op.regex.test(pathname));
        const best = Math.max(...matching.map((op) => op.literals));
        return matching.filter((op) => op.literals === best);
    }

    /**
     * Checks a whole exchange. `destination` is the receiving server's name. Resolves to { operationId, problems }.
     */
    async check({ method, target, headers, requestText, status, responseHeaders, responseText, destination }) {
        const url = new URL(target, "https://destination.invalid");
        const [op] = this.findOperations(method, url.pathname);
        if (!op) {
            return {
                operationId: undefined,
                problems: [{ direction: "request", pointer: "", message:
                    `no operation of the v1.19 server-server API matches ${method} ${url.pathname}` }],
            };
        }
        const problems = [];
        const add = (direction, pointer, message) => problems.push({ operationId: op.operationId, direction, pointer, message });
        const request = this.spec.requestSpec(op);
        const requestBody = this.#checkRequest(op, request, url, headers, requestText, add);
        if (request.signed) await this.#checkAuthorization(method, target, headers, requestBody, destination, add);
        const responseBody = this.#checkResponse(op, method, url, status, responseHeaders, responseText, add);
        this.#learnRoomVersions(op.operationId, url, requestBody, status, responseBody);
        if (status >= 200 && status < 300) {
            const locations = PDU_LOCATIONS[op.operationId] ?? {};
            this.#checkPdus(locations.request, requestBody, url, "request", add);
            this.#checkPdus(locations.response, responseBody, url, "response", add);
            if (op.operationId === "sendTransaction") this.#checkEdus(requestBody, add);
        }
        return { operationId: op.operationId, problems };
    }

    /** Validates `value` (at `prefix` in the body) against `schemaRef`, named `schema` for the errata. */
    #validate(schema, schemaRef, value, direction, prefix, add) {
        for (const err of this.spec.validateBody(schemaRef, value)) {
            const message = `${err.keyword}: ${err.message} ${JSON.stringify(err.params)}`;
            const erratum = SPEC_SCHEMA_ERRATA.some((e) => e.schema === schema && e.pointer.test(err.instancePath)
                && e.message.test(message) && e.when(value));
            if (!erratum) add(direction, `${prefix}${err.instancePath}`, message);
        }
    }

    #checkRequest(op, request, url, headers, requestText, add) {
        const templateSegments = op.template.split("/");
        const pathSegments = url.pathname.split("/");
        for (const param of request.parameters) {
            if (param.in === "path") {
                const index = templateSegments.indexOf(`{${param.name}}`);
                let value;
                try {
                    value = decodeURIComponent(pathSegments[index]);
                } catch {
                    add("request", `path {${param.name}}`, `not percent-decodable: ${pathSegments[index]}`);
                    continue;
                }
                this.#validateParameter(param, value, `path {${param.name}}`, add);
                if (param.name === "userId" && !/^@[^:]+:.+$/.test(value)) add("request", `path {userId}`, `not a user ID: ${value}`);
                if (param.name === "roomId" && !value.startsWith("!")) add("request", `path {roomId}`, `not a room ID: ${value}`);
                if (param.name === "eventId" && !value.startsWith("$")) add("request", `path {eventId}`, `not an event ID: ${value}`);
            } else if (param.in === "query") {
                const values = url.searchParams.getAll(param.name);
                if (values.length === 0) {
                    if (param.required) add("request", `query ${param.name}`, "required query parameter missing");
                    continue;
                }
                const value = param.schema.type === "array" ? values : values[values.length - 1];
                this.#validateParameter(param, value, `query ${param.name}`, add);
            }
        }
        if (!request.body) {
            if (requestText.length > 0 && op.method === "GET") add("request", "", "a GET with a body");
            return undefined;
        }
        if (requestText.length === 0) {
            if (request.body.required) add("request", "", "required request body missing");
            return undefined;
        }
        if (!/^application\/json\b/i.test(headers["content-type"] ?? "")) {
            add("request", "", `Content-Type is ${JSON.stringify(headers["content-type"])}, expected application/json`);
        }
        let body;
        try {
            body = JSON.parse(requestText);
        } catch (e) {
            add("request", "", `body is not JSON (${e.message})`);
            return undefined;
        }
        this.#validate(op.operationId, request.body.schemaRef, body, "request", "", add);
        return body;
    }

    /** Query and path values are strings: an integer or boolean parameter is read as one first. */
    #validateParameter(param, raw, where, add) {
        const coerce = (v, type) => {
            if (type === "integer" || type === "number") return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
            if (type === "boolean") return v === "true" ? true : v === "false" ? false : v;
            return v;
        };
        const value = Array.isArray(raw) ? raw.map((v) => coerce(v, param.schema.items?.type)) : coerce(raw, param.schema.type);
        for (const err of this.spec.validateBody(param.schemaRef, value)) {
            add("request", `${where}${err.instancePath}`, `${err.keyword}: ${err.message} ${JSON.stringify(err.params)} (${JSON.stringify(raw)})`);
        }
    }

    async #checkAuthorization(method, target, headers, body, destination, add) {
        const header = headers.authorization;
        if (!header) {
            add("request", "Authorization", "no Authorization header, but the operation requires signedRequest (X-Matrix)");
            return;
        }
        const params = parseXMatrix(header);
        if (typeof params === "string") {
            add("request", "Authorization", `malformed X-Matrix header: ${params}`);
            return;
        }
        for (const name of ["origin", "destination", "key", "sig"]) {
            if (!params[name]) add("request", "Authorization", `X-Matrix header without ${name} (the sender MUST send it)`);
        }
        if (params.destination && params.destination !== destination) {
            add("request", "Authorization", `X-Matrix destination ${params.destination} is not the receiving server ${destination}`);
        }
        if (params.key && !/^ed25519:[A-Za-z0-9_]+$/.test(params.key)) add("request", "Authorization", `key ID ${params.key} is not ed25519:<a-zA-Z0-9_>`);
        if (params.sig && !/^[A-Za-z0-9+/]+$/.test(params.sig)) add("request", "Authorization", "sig is not unpadded base64");
        if (!params.origin || !params.key || !params.sig) return;
        const keys = await this.keys(params.origin);
        if (!keys) return;
        const publicKey = keys[params.key];
        if (!publicKey) {
            add("request", "Authorization", `${params.origin} has no key ${params.key} in its /_matrix/key/v2/server`);
            return;
        }
        const signed = { method, uri: target, origin: params.origin, destination: params.destination ?? destination };
        if (body !== undefined) signed.content = body;
        const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKey, "base64").toString("base64url") }, format: "jwk" });
        if (!verify(null, Buffer.from(canonicalJson(signed)), key, Buffer.from(params.sig, "base64"))) {
            add("request", "Authorization", `the X-Matrix signature does not verify over ${canonicalJson({ ...signed, content: undefined })}`);
        }
    }

    #checkResponse(op, method, url, status, responseHeaders, responseText, add) {
        const { problems } = this.spec.checkExchange({
            method,
            url: url.href,
            status,
            contentType: responseHeaders["content-type"],
            bodyText: responseText,
        });
        for (const p of problems) {
            const pointer = / (\/\S*|\(root\)) /.exec(p)?.[1];
            add("response", pointer === undefined || pointer === "(root)" ? "" : pointer, p);
        }
        if (!/^application\/json\b/i.test(responseHeaders["content-type"] ?? "")) return undefined;
        try {
            return JSON.parse(responseText);
        } catch {
            return undefined;
        }
    }

    #learnRoomVersions(operationId, url, requestBody, status, responseBody) {
        const roomId = (() => {
            const m = /^\/_matrix\/federation\/v\d\/(?:make_join|make_knock|make_leave|invite|send_join|send_knock)\/([^/]+)/.exec(url.pathname);
            try {
                return m ? decodeURIComponent(m[1]) : undefined;
            } catch {
                return undefined;
            }
        })();
        if (roomId && status === 200 && typeof responseBody?.room_version === "string") this.roomVersions.set(roomId, responseBody.room_version);
        if (roomId && operationId === "sendInviteV2" && typeof requestBody?.room_version === "string") {
            this.roomVersions.set(roomId, requestBody.room_version);
        }
        for (const body of [requestBody, responseBody]) {
            for (const pattern of ["/pdus/*", "/state/*", "/auth_chain/*", "/events/*"]) {
                for (const { value } of pointersOf(body, pattern)) {
                    if (value?.type === "m.room.create" && value.state_key === "" && typeof value.room_id === "string") {
                        this.roomVersions.set(value.room_id, String(value.content?.room_version ?? "1"));
                    }
                }
            }
        }
    }

    #checkPdus(patterns = [], body, url, direction, add) {
        if (body === undefined) return;
        const urlRoom = /\/(?:backfill|get_missing_events|state|event_auth|send_join|send_leave|send_knock|invite)\/([^/]+)/.exec(url.pathname);
        for (const pattern of patterns) {
            for (const { pointer, value } of pointersOf(body, pattern)) {
                if (value === null || typeof value !== "object") continue;
                let roomId = value.room_id;
                if (roomId === undefined && urlRoom) roomId = decodeURIComponent(urlRoom[1]);
                const version = this.roomVersions.get(roomId);
                const definition = version && pduDefinition(version);
                if (!definition) {
                    this.counts.pdusOfUnknownVersion++;
                    this.counts.unknownVersionRooms.add(`${roomId} (${url.pathname.split("/").slice(3, 5).join("/")})`);
                    continue;
                }
                this.counts.pdus++;
                this.#validate(definition, this.spec.schemaFileRef(`api/server-server/definitions/${definition}`), value,
                    direction, pointer, add);
            }
        }
    }

    #checkEdus(body, add) {
        for (const { pointer, value } of pointersOf(body, "/edus/*")) {
            this.counts.edus.set(value?.edu_type, (this.counts.edus.get(value?.edu_type) ?? 0) + 1);
            if (!EDU_DEFINITIONS.has(value?.edu_type)) continue;
            this.#validate(`${value.edu_type}.yaml`,
                this.spec.schemaFileRef(`api/server-server/definitions/event-schemas/${value.edu_type}.yaml`), value,
                "request", pointer, add);
        }
    }
}
