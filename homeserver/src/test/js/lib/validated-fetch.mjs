// A fetch wrapper that checks every response against the spec and keeps a transcript.
//
// It never throws on a schema problem (matrix-js-sdk would turn that into an opaque
// "fetch failed"); it records a violation instead, and the scenario wrapper in harness.mjs
// fails the test with the recorded violations and the bodies.

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const MAX_BODY_CHARS = 4000;

function truncate(text) {
    return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} chars)` : text;
}

function describeUrl(url) {
    const u = new URL(url);
    for (const secret of ["access_token"]) {
        if (u.searchParams.has(secret)) u.searchParams.set(secret, "<redacted>");
    }
    return u.pathname + u.search;
}

function requestBodyText(body) {
    if (body === undefined || body === null) return undefined;
    return typeof body === "string" ? body : `<${Object.prototype.toString.call(body)}>`;
}

/** Collects the exchanges of one scenario and the spec violations among them. */
export class Recorder {
    constructor() {
        this.exchanges = [];
        this.violations = [];
    }

    add(exchange) {
        this.exchanges.push(exchange);
        if (exchange.problems.length > 0) this.violations.push(exchange);
    }

    static format(exchange) {
        const lines = [`${exchange.method} ${exchange.target} -> ${exchange.status}`];
        if (exchange.operationId) lines[0] += ` (${exchange.operationId})`;
        if (exchange.requestBody !== undefined) lines.push(`  request body: ${truncate(exchange.requestBody)}`);
        lines.push(`  response body: ${truncate(exchange.responseBody)}`);
        for (const p of exchange.problems) lines.push(`  PROBLEM: ${p}`);
        return lines.join("\n");
    }

    formatViolations() {
        return this.violations.map(Recorder.format).join("\n");
    }

    formatTranscript(last = 8) {
        return this.exchanges.slice(-last).map(Recorder.format).join("\n");
    }
}

/**
 * Returns a `fetch`-compatible function. `unspecifiedEndpoint: true` is for deliberate
 * requests to endpoints the spec does not have: their response must be a standard error.
 */
export function createValidatedFetch({ spec, recorder, fetchImpl = globalThis.fetch, unspecifiedEndpoint = false }) {
    return async function validatedFetch(resource, init = {}) {
        const isRequest = resource instanceof Request;
        const url = isRequest ? resource.url : String(resource);
        const method = (init.method ?? (isRequest ? resource.method : "GET")).toUpperCase();
        let response;
        let bodyBytes;
        let bodyText;
        const started = Date.now();
        try {
            response = await fetchImpl(resource, init);
            // Media downloads are bytes: the caller gets them unchanged, the validator their UTF-8 reading.
            bodyBytes = new Uint8Array(await response.arrayBuffer());
            bodyText = new TextDecoder().decode(bodyBytes);
        } catch (e) {
            const cause = e.cause ? ` (cause: ${e.cause.code ?? ""} ${e.cause.message ?? e.cause})` : "";
            recorder.add({
                method,
                target: describeUrl(url),
                status: "no response",
                requestBody: requestBodyText(init.body),
                responseBody: "",
                problems: [`transport error after ${Date.now() - started} ms: ${e.name}: ${e.message}${cause}`],
                transportError: true,
            });
            throw e;
        }
        const contentType = response.headers.get("content-type");
        const { operation, problems } = spec.checkExchange({
            method,
            url,
            status: response.status,
            contentType,
            bodyText,
            unspecifiedEndpoint,
        });
        recorder.add({
            method,
            target: describeUrl(url),
            status: response.status,
            operationId: operation?.operationId,
            requestBody: requestBodyText(init.body),
            responseBody: bodyText,
            problems,
        });
        return new Response(NULL_BODY_STATUSES.has(response.status) ? null : bodyBytes, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
        });
    };
}
