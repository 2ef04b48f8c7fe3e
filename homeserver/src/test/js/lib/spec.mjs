// Response validation against the Matrix v1.19 client-server OpenAPI files.
//
// Every YAML file of the spec is registered with ajv under its file:// URL, so a `$ref`
// resolves relative to the file that contains it, exactly as the spec writes them. A
// response is validated by compiling `{ $ref: "<file url>#<json pointer to the schema>" }`.

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import YAML from "yaml";
import { UNSTABLE_ENDPOINTS } from "./unstable-endpoints.mjs";

/** The OpenAPI files: beside the repository (`../shared/spec/openapi`), as on the development machines. */
export const DEFAULT_SPEC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)),
    "../../../../../../shared/spec/openapi");

// Documented in string-formats.yaml as "# regex: ..." (commented out there); the other
// custom formats have no regex and are accepted as any string.
const FORMAT_PATTERNS = {
    "mx-user-id": /^@/,
    "mx-event-id": /^\$/,
    "mx-room-id": /^!/,
    "mx-room-alias": /^#/,
    "mx-mxc-uri": /^mxc:\/\//,
};

const ERROR_SCHEMA_FILE = "api/client-server/definitions/errors/error.yaml";
const AUTH_RESPONSE_FILE = "api/client-server/definitions/auth_response.yaml";

function walkYaml(dir) {
    const out = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...walkYaml(full));
        else if (entry.name.endsWith(".yaml")) out.push(full);
    }
    return out;
}

function pointerEscape(segment) {
    return String(segment).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointerGet(doc, pointer) {
    let node = doc;
    for (const raw of pointer.split("/").slice(1)) {
        const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
        if (node === null || typeof node !== "object" || !(key in node)) return undefined;
        node = node[key];
    }
    return node;
}

function literalSegmentCount(template) {
    return template.split("/").filter((s) => s && !s.startsWith("{")).length;
}

/**
 * The spec's example convention (README "How a test uses this" item 2): in an example,
 * `{"$ref": file, ...siblings}` means "the referenced example, overlaid with the siblings",
 * and `{"allOf": [...]}` means "these objects merged". Refs are relative to the containing file.
 */
export function expandExample(value, file) {
    if (Array.isArray(value)) return value.map((v) => expandExample(v, file));
    if (value === null || typeof value !== "object") return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "allOf" && Array.isArray(value.allOf)) {
        return Object.assign({}, ...value.allOf.map((v) => expandExample(v, file)));
    }
    const out = {};
    if (typeof value.$ref === "string") {
        const target = path.resolve(path.dirname(file), value.$ref);
        Object.assign(out, expandExample(YAML.parse(readFileSync(target, "utf8")), target));
    }
    for (const [k, v] of Object.entries(value)) {
        if (k !== "$ref") out[k] = expandExample(v, file);
    }
    return out;
}

export class Spec {
    constructor(specDir = process.env.MYELIN_SPEC_DIR || DEFAULT_SPEC_DIR) {
        this.specDir = path.resolve(specDir);
        this.docs = new Map(); // absolute file path -> parsed YAML
        this.ajv = new Ajv2020({ strict: false, allErrors: true });
        addFormats(this.ajv);
        const formats = YAML.parse(readFileSync(path.join(this.specDir, "string-formats.yaml"), "utf8"));
        for (const name of Object.keys(formats)) {
            if (this.ajv.formats[name]) continue; // uri, email: ajv-formats' RFC implementations
            this.ajv.addFormat(name, FORMAT_PATTERNS[name] ?? true);
        }
        for (const file of walkYaml(this.specDir)) {
            if (path.basename(file) === "string-formats.yaml") continue;
            const doc = YAML.parse(readFileSync(file, "utf8"));
            this.docs.set(file, doc);
            // Example files are instances, not schemas ("$ref" there means "merge").
            if (file.split(path.sep).includes("examples")) continue;
            this.ajv.addSchema(doc, pathToFileURL(file).href);
        }
        this.operations = this.#loadOperations("api/client-server/");
        /** The server-server API's operations (federation and key server), for checking its answers. */
        this.federationOperations = this.#loadOperations("api/server-server/");
        this.validators = new Map();
        for (const endpoint of UNSTABLE_ENDPOINTS) this.ajv.addSchema(endpoint.schema);
    }

    #loadOperations(prefix) {
        const index = JSON.parse(readFileSync(path.join(this.specDir, "INDEX.json"), "utf8"));
        const ops = [];
        for (const [file, entry] of Object.entries(index.files)) {
            if (!file.startsWith(prefix)) continue;
            for (const server of entry.servers) {
                const base = new URL(server).pathname.replace(/\/$/, "");
                for (const op of entry.operations) {
                    // Two operations share POST /rooms/{roomId}/invite; the spec keeps their
                    // YAML keys apart with a trailing space ("/rooms/{roomId}/invite ").
                    const template = base + op.path.trim();
                    let pattern = template
                        .split("/")
                        .map((seg) =>
                            /^\{[^}]+\}$/.test(seg) ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
                        )
                        .join("/");
                    // A state key may be empty, and then "the trailing slash on this endpoint is
                    // optional" (rooms.yaml, room_state.yaml): /state/{type}/ and /state/{type}.
                    if (template.endsWith("/{stateKey}")) pattern = `${pattern.slice(0, -"/[^/]+".length)}(?:/[^/]*)?`;
                    ops.push({
                        file: path.join(this.specDir, file),
                        method: op.method.toUpperCase(),
                        path: op.path,
                        template,
                        operationId: op.operationId,
                        regex: new RegExp(`^${pattern}$`),
                        literals: literalSegmentCount(template),
                    });
                }
            }
        }
        return ops;
    }

    /**
     * The operations a request may be: those whose template matches with the most literal
     * segments (literals beat path parameters). Usually one; [] when the spec has none.
     */
    findOperations(method, pathname) {
        // The r0 paths the server still answers are its v3 routes under another prefix: same schemas.
        const path = pathname.replace(/^\/_matrix\/(client|media)\/r0\//, "/_matrix/$1/v3/");
        const matching = [...this.operations, ...this.federationOperations].filter(
            (op) => op.method === method.toUpperCase() && op.regex.test(path),
        );
        const best = Math.max(...matching.map((op) => op.literals));
        return matching.filter((op) => op.literals === best);
    }

    findOperation(method, pathname) {
        return this.findOperations(method, pathname)[0];
    }

    /** Follows `$ref`s (OpenAPI objects, not schemas) to {file, pointer, value}. */
    #deref(file, pointer) {
        let value = pointerGet(this.docs.get(file), pointer);
        for (let hops = 0; value && typeof value === "object" && typeof value.$ref === "string"; hops++) {
            if (hops > 20) throw new Error(`$ref loop at ${file}#${pointer}`);
            const [target, fragment = ""] = value.$ref.split("#");
            if (target) file = path.resolve(path.dirname(file), target);
            pointer = fragment;
            value = pointerGet(this.docs.get(file), pointer);
        }
        return { file, pointer, value };
    }

    /**
     * ajv keeps the wrong base URI when a JSON-pointer `$ref` lands on a schema that is only
     * another `$ref` to a different file (relative refs in the target then fail to resolve), so
     * such chains are followed here. Only annotations may sit next to a followed `$ref`.
     */
    #followBareSchemaRefs(file, pointer) {
        const annotation = /^(description|title|example|examples|deprecated|x-.*)$/;
        for (let hops = 0; ; hops++) {
            const value = pointerGet(this.docs.get(file), pointer);
            const bare =
                value &&
                typeof value === "object" &&
                typeof value.$ref === "string" &&
                Object.keys(value).every((k) => k === "$ref" || annotation.test(k));
            if (!bare) return { file, pointer };
            if (hops > 20) throw new Error(`$ref loop at ${file}#${pointer}`);
            const [target, fragment = ""] = value.$ref.split("#");
            if (target) file = path.resolve(path.dirname(file), target);
            pointer = fragment;
        }
    }

    /**
     * What the spec says about `status` for `op`: { documented, key, schemaRef } where key is
     * the response key used ("200", "default" or null) and schemaRef the ajv reference to the
     * application/json schema (null when the response documents no JSON body).
     */
    responseSpec(op, status) {
        const opPointer = `/paths/${pointerEscape(op.path)}/${op.method.toLowerCase()}`;
        const responses = pointerGet(this.docs.get(op.file), `${opPointer}/responses`) ?? {};
        const key = String(status) in responses ? String(status) : "default" in responses ? "default" : null;
        if (key === null) return { documented: false, key: null, schemaRef: null };
        const resp = this.#deref(op.file, `${opPointer}/responses/${pointerEscape(key)}`);
        if (!resp.value?.content?.["application/json"]?.schema) {
            return { documented: true, key, schemaRef: null, response: resp.value };
        }
        const schema = this.#followBareSchemaRefs(resp.file, `${resp.pointer}/content/application~1json/schema`);
        return {
            documented: true,
            key,
            schemaRef: `${pathToFileURL(schema.file).href}#${schema.pointer}`,
            response: resp.value,
        };
    }

    /**
     * What the spec says about the request of `op`: { body: { required, schemaRef } | null, parameters:
     * [{ name, in, required, schema, schemaRef }], signed } where `signed` is whether the operation requires the
     * X-Matrix `signedRequest` security scheme (server-server API) and schemaRef an ajv reference.
     */
    requestSpec(op) {
        const opPointer = `/paths/${pointerEscape(op.path)}/${op.method.toLowerCase()}`;
        const operation = pointerGet(this.docs.get(op.file), opPointer) ?? {};
        let body = null;
        if (operation.requestBody) {
            const req = this.#deref(op.file, `${opPointer}/requestBody`);
            if (req.value?.content?.["application/json"]?.schema) {
                const schema = this.#followBareSchemaRefs(req.file, `${req.pointer}/content/application~1json/schema`);
                body = { required: req.value.required === true, schemaRef: `${pathToFileURL(schema.file).href}#${schema.pointer}` };
            }
        }
        const parameters = [];
        const pathItemPointer = `/paths/${pointerEscape(op.path)}`;
        for (const base of [pathItemPointer, opPointer]) {
            const list = pointerGet(this.docs.get(op.file), `${base}/parameters`) ?? [];
            list.forEach((_, i) => {
                const param = this.#deref(op.file, `${base}/parameters/${i}`);
                if (!param.value?.schema) return;
                const schema = this.#followBareSchemaRefs(param.file, `${param.pointer}/schema`);
                parameters.push({
                    name: param.value.name,
                    in: param.value.in,
                    required: param.value.required === true,
                    schema: param.value.schema,
                    schemaRef: `${pathToFileURL(schema.file).href}#${schema.pointer}`,
                });
            });
        }
        const signed = (operation.security ?? []).some((requirement) => "signedRequest" in requirement);
        return { body, parameters, signed };
    }

    /** The ajv reference of a schema file of the spec, relative to the openapi folder (with an optional pointer). */
    schemaFileRef(relativeFile, pointer = "") {
        return `${pathToFileURL(path.join(this.specDir, relativeFile)).href}${pointer ? `#${pointer}` : ""}`;
    }

    errorSchemaRef() {
        return pathToFileURL(path.join(this.specDir, ERROR_SCHEMA_FILE)).href;
    }

    validatorFor(schemaRef) {
        let validate = this.validators.get(schemaRef);
        if (!validate) {
            validate = this.ajv.compile({ $ref: schemaRef });
            this.validators.set(schemaRef, validate);
        }
        return validate;
    }

    /** Validates `body` against the schema at `schemaRef`; returns ajv errors or []. */
    validateBody(schemaRef, body) {
        const validate = this.validatorFor(schemaRef);
        return validate(body) ? [] : validate.errors;
    }

    /**
     * Checks one HTTP exchange. Returns { operation, problems } where problems is a list of
     * strings; empty means the response conforms.
     *
     * - no operation in the spec for method+path: a problem, unless `unspecifiedEndpoint` is
     *   set (a deliberate request to an unknown endpoint), in which case the body must be a
     *   standard error.
     * - a documented status: the body must match its application/json schema if it has one.
     * - an undocumented 4xx/5xx: the body must be a standard error (error.yaml), as every
     *   endpoint may answer with the common error codes (M_MISSING_TOKEN, M_LIMIT_EXCEEDED, ...).
     * - an undocumented 1xx/2xx/3xx: a problem.
     */
    checkExchange({ method, url, status, contentType, bodyText, unspecifiedEndpoint = false }) {
        const pathname = new URL(url).pathname;
        const operations = this.findOperations(method, pathname);
        const unstable = operations.length === 0
            ? UNSTABLE_ENDPOINTS.find((e) => e.method === method.toUpperCase() && e.regex.test(pathname)) : undefined;
        if (unstable) {
            // Not in v1.19 yet: its 200 body against the schema written from its proposal, errors as usual.
            const operation = { operationId: unstable.operationId };
            if (status === 200) {
                return { operation, problems: this.#checkBody(unstable.schema.$id, unstable.operationId, contentType,
                    bodyText) };
            }
            if (status >= 400) {
                return { operation, problems: this.#checkBody(this.errorSchemaRef(),
                    `${unstable.operationId}: ${status}, standard error`, contentType, bodyText) };
            }
            return { operation, problems: [`${unstable.operationId} answers 200 or an error, not ${status}`] };
        }
        if (operations.length === 0) {
            if (!unspecifiedEndpoint) {
                return {
                    operation: undefined,
                    problems: [`no operation in the v1.19 client-server spec matches ${method} ${pathname}`],
                };
            }
            if (status < 400) {
                return {
                    operation: undefined,
                    problems: [`expected an error status from unknown endpoint, got ${status}`],
                };
            }
            const label = "standard error (unknown endpoint)";
            return { operation: undefined, problems: this.#checkBody(this.errorSchemaRef(), label, contentType, bodyText) };
        }
        // Where operations share method and path, the response must suit one of them.
        const attempts = operations.map((operation) => ({
            operation,
            problems: this.#checkAgainst(operation, status, contentType, bodyText),
        }));
        return attempts.find((a) => a.problems.length === 0) ?? {
            operation: operations[0],
            problems: attempts.flatMap((a) => a.problems),
        };
    }

    #checkAgainst(operation, status, contentType, bodyText) {
        const spec = this.responseSpec(operation, status);
        if (spec.documented) {
            if (spec.schemaRef === null) return [];
            return this.#checkBody(spec.schemaRef, `${operation.operationId} responses[${spec.key}]`, contentType, bodyText);
        }
        if (status >= 400) {
            const label = `${operation.operationId}: undocumented ${status}, standard error`;
            const problems = this.#checkBody(this.errorSchemaRef(), label, contentType, bodyText);
            if (problems.length === 0 || status !== 401 || !this.#usesUia(operation)) return problems;
            // An operation whose text says it uses User-Interactive Authentication may answer 401 with a
            // UIA challenge (AuthenticationResponse) even where its responses omit the 401
            // (uploadCrossSigningKeys in v1.19).
            const uiaLabel = `${operation.operationId}: undocumented 401, User-Interactive Authentication`;
            const authResponse = pathToFileURL(path.join(this.specDir, AUTH_RESPONSE_FILE)).href;
            const uiaProblems = this.#checkBody(authResponse, uiaLabel, contentType, bodyText);
            return uiaProblems.length === 0 ? [] : [...problems, ...uiaProblems];
        }
        return [`${operation.operationId} does not document status ${status}`];
    }

    #usesUia(operation) {
        const yaml = pointerGet(this.docs.get(operation.file), `/paths/${pointerEscape(operation.path)}`);
        const description = yaml?.[operation.method.toLowerCase()]?.description ?? "";
        return description.includes("[User-Interactive Authentication API]");
    }

    #checkBody(schemaRef, label, contentType, bodyText) {
        const problems = [];
        if (!/^application\/json\b/i.test(contentType ?? "")) {
            problems.push(`${label}: Content-Type is ${JSON.stringify(contentType)}, expected application/json`);
        }
        let body;
        try {
            body = JSON.parse(bodyText);
        } catch (e) {
            problems.push(`${label}: body is not JSON (${e.message})`);
            return problems;
        }
        for (const err of this.validateBody(schemaRef, body)) {
            problems.push(`${label}: ${err.instancePath || "(root)"} ${err.message} ${JSON.stringify(err.params)}`);
        }
        return problems;
    }

    /** All inline application/json response examples of the client-server API. */
    *responseExamples() {
        const seen = new Set();
        for (const op of this.operations) {
            const id = `${op.file} ${op.method} ${op.path}`;
            if (seen.has(id)) continue;
            seen.add(id);
            const opPointer = `/paths/${pointerEscape(op.path)}/${op.method.toLowerCase()}`;
            const responses = pointerGet(this.docs.get(op.file), `${opPointer}/responses`) ?? {};
            for (const status of Object.keys(responses)) {
                const resp = this.#deref(op.file, `${opPointer}/responses/${pointerEscape(status)}`);
                const media = resp.value?.content?.["application/json"];
                if (!media?.schema) continue;
                for (const [name, example] of Object.entries(media.examples ?? {})) {
                    if (!example || !("value" in example)) continue;
                    yield { operation: op, status, name, value: expandExample(example.value, resp.file) };
                }
            }
        }
    }
}

let shared;
/** One Spec per process: loading and compiling is the slow part. */
export function loadSpec() {
    shared ??= new Spec();
    return shared;
}
