// Makes fetch behave like a browser page on another origin (Element Web, Cinny): every request
// carries an Origin header, and every request that is not CORS-"simple" (any Authorization
// header, a JSON body, PUT/DELETE) is preceded by an OPTIONS pre-flight. Node's fetch keeps
// connections alive, so pre-flight and request usually share one connection, as in a browser.
// A pre-flight the server does not allow fails the request the way a browser does (TypeError).

export const BROWSER_ORIGIN = "https://client.browser.test";

const SIMPLE_METHODS = new Set(["GET", "HEAD", "POST"]);
const SIMPLE_HEADERS = new Set(["accept", "accept-language", "content-language"]);
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

/** The request's header names that make it non-simple, lower-cased and sorted. */
function nonSimpleHeaders(headers) {
    const names = [];
    for (const [name, value] of headers) {
        if (SIMPLE_HEADERS.has(name)) continue;
        if (name === "content-type" && SIMPLE_CONTENT_TYPES.has(value.split(";")[0].trim().toLowerCase())) continue;
        names.push(name);
    }
    return names.sort();
}

function listed(headerValue) {
    return new Set((headerValue ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean));
}

async function preflight(fetchImpl, url, method, headerNames, signal) {
    const res = await fetchImpl(url, {
        method: "OPTIONS",
        headers: {
            Origin: BROWSER_ORIGIN,
            "Access-Control-Request-Method": method,
            ...(headerNames.length > 0 ? { "Access-Control-Request-Headers": headerNames.join(",") } : {}),
        },
        signal,
    });
    await res.arrayBuffer();
    const allowOrigin = res.headers.get("access-control-allow-origin");
    const methods = listed(res.headers.get("access-control-allow-methods"));
    const allowedHeaders = listed(res.headers.get("access-control-allow-headers"));
    const problems = [];
    if (res.status < 200 || res.status > 299) problems.push(`status ${res.status}`);
    if (allowOrigin !== "*" && allowOrigin !== BROWSER_ORIGIN) problems.push(`Access-Control-Allow-Origin ${allowOrigin}`);
    if (!SIMPLE_METHODS.has(method) && !methods.has(method.toLowerCase())) problems.push(`method ${method} not allowed`);
    const missing = headerNames.filter((h) => !allowedHeaders.has(h) && !allowedHeaders.has("*"));
    if (missing.length > 0) problems.push(`headers not allowed: ${missing.join(", ")}`);
    if (problems.length > 0) {
        throw new TypeError(`CORS pre-flight for ${method} ${new URL(url).pathname} refused: ${problems.join("; ")}`);
    }
}

/**
 * A fetch that sends what a browser sends, on top of `fetchImpl`; `stats.preflights` counts the
 * pre-flights it made.
 */
export function browserLikeFetch(stats = { preflights: 0 }, fetchImpl = globalThis.fetch) {
    return async function fetchFromPage(resource, init = {}) {
        const request = new Request(resource, init);
        const method = request.method.toUpperCase();
        const headers = new Headers(request.headers);
        const headerNames = nonSimpleHeaders(headers);
        if (!SIMPLE_METHODS.has(method) || headerNames.length > 0) {
            await preflight(fetchImpl, request.url, method, headerNames, init.signal);
            stats.preflights++;
        }
        headers.set("Origin", BROWSER_ORIGIN);
        return fetchImpl(resource instanceof Request ? resource.url : resource, { ...init, headers });
    };
}
