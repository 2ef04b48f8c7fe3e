// A real browser opening uploaded media cannot run a script in it (issue #12's last "done when"). Headless Chromium
// (Debian's `chromium`, driven by playwright-core) opens the authenticated download URL of an uploaded HTML page and
// of an uploaded SVG whose inline scripts, if they ran, would mark the document, change its title and send beacons
// (an <img> and a fetch()) to a listener this file runs on 127.0.0.1:
//
//   - as served: the browser downloads the file (Content-Disposition: attachment), renders nothing, no beacon;
//   - the same response with its Content-Disposition taken out by the test (as if a browser or proxy ignored it):
//     the document renders, but the Content-Security-Policy sandbox keeps its script from running;
//   - control: the same bytes from the listener with only a Content-Type: the script runs and the beacons arrive,
//     so the checks above can fail.
//
// Without Chromium (MYELIN_CHROMIUM, default /usr/bin/chromium) the scenarios are skipped, except under CI=true,
// where they fail: .ci/run installs it.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

const CHROMIUM = process.env.MYELIN_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"];
/** Bounds a wait for something that must happen (a download, a beacon of the control page). */
const EVENT_TIMEOUT_MS = 15_000;
const TITLE = "uploaded media";
const SCRIPT_TITLE = "script ran";

/** What the scripts do: each effect alone shows that they ran. */
function scriptBody(beaconUrl) {
    const beacon = (via) => `${JSON.stringify(`${beaconUrl}?via=${via}&from=`)} + encodeURIComponent(location.href)`;
    return `document.documentElement.setAttribute("data-script", "ran");
document.title = ${JSON.stringify(SCRIPT_TITLE)};
new Image().src = ${beacon("img")};
fetch(${beacon("fetch")}, { mode: "no-cors" });`;
}

const PAGES = {
    html: {
        type: "text/html",
        name: "page.html",
        bytes: (beaconUrl) => `<!doctype html>
<html><head><title>${TITLE}</title></head>
<body><p id="content">an uploaded page</p>
<script>
${scriptBody(beaconUrl)}
</script></body></html>
`,
        rendered: () => document.getElementById("content")?.textContent === "an uploaded page",
    },
    svg: {
        type: "image/svg+xml",
        name: "image.svg",
        bytes: (beaconUrl) => `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">
<title>${TITLE}</title>
<rect id="content" width="64" height="64" fill="teal"/>
<script>//<![CDATA[
${scriptBody(beaconUrl)}
//]]></script>
</svg>
`,
        rendered: () => document.documentElement.localName === "svg" && document.getElementById("content") !== null,
    },
};

/**
 * On 127.0.0.1: /control/<kind> answers the page with its Content-Type and nothing else; /beacon records the
 * request (`via` img or fetch, `from` the page's URL) and answers 204; anything else (a favicon) is 404.
 */
class Listener {
    constructor() {
        this.beacons = [];
        this.waiters = [];
        this.server = http.createServer((req, res) => {
            const url = new URL(req.url, this.origin);
            const kind = url.pathname.match(/^\/control\/(\w+)$/)?.[1];
            if (kind && PAGES[kind]) {
                res.writeHead(200, { "Content-Type": PAGES[kind].type });
                res.end(PAGES[kind].bytes(this.beaconUrl));
                return;
            }
            if (url.pathname !== "/beacon") {
                res.writeHead(404).end();
                return;
            }
            this.beacons.push({ via: url.searchParams.get("via"), from: url.searchParams.get("from") });
            for (const waiter of this.waiters.splice(0)) waiter();
            res.writeHead(204).end();
        });
    }

    async start() {
        await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.origin = `http://127.0.0.1:${this.server.address().port}`;
        this.beaconUrl = `${this.origin}/beacon`;
    }

    from(pageUrl) {
        return this.beacons.filter((b) => b.from === pageUrl);
    }

    /** Resolves once beacons of both kinds came from `pageUrl`; rejects after EVENT_TIMEOUT_MS. */
    async awaitBeacons(pageUrl) {
        const deadline = Date.now() + EVENT_TIMEOUT_MS;
        while (new Set(this.from(pageUrl).map((b) => b.via)).size < 2) {
            const left = deadline - Date.now();
            if (left <= 0) {
                assert.fail(`the control page's script sent no img and fetch beacons within ${EVENT_TIMEOUT_MS} ms; ` +
                    `got ${JSON.stringify(this.beacons)}`);
            }
            await new Promise((resolve) => {
                const timer = setTimeout(resolve, left);
                this.waiters.push(() => {
                    clearTimeout(timer);
                    resolve();
                });
            });
        }
    }

    stop() {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(resolve));
    }
}

const listener = new Listener();
let browser;

before(() => listener.start());
after(async () => {
    await browser?.close();
    await listener.stop();
});

/** The browser, launched once for the file; null (the scenario skipped) without Chromium outside CI. */
async function launchedBrowser(t) {
    if (!existsSync(CHROMIUM)) {
        const why = `no Chromium at ${CHROMIUM} (Debian package chromium, or set MYELIN_CHROMIUM)`;
        if (String(process.env.CI).toLowerCase() === "true") {
            assert.fail(`${why}: CI must install it (.ci/run does)`);
        }
        t.skip(why);
        return null;
    }
    browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    return browser;
}

/** What the document in `page` shows: did it render, did its script run. */
async function documentState(page, kind) {
    return {
        rendered: await page.evaluate(PAGES[kind].rendered),
        marked: await page.evaluate(() => document.documentElement.getAttribute("data-script")),
        title: await page.title(),
    };
}

/**
 * Opens `url` in a fresh browser context. Requests to the homeserver get `token` as a Bearer Authorization (a
 * route handler: the download needs it, the beacons must not get it); `withoutDisposition` drops the response's
 * Content-Disposition before the browser sees it (and reports it as `dropped`). Resolves to
 * { page, context, response?, download?, headers?, dropped? }.
 */
async function open(browser, url, { token, withoutDisposition = false } = {}) {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    let dropped;
    if (token) {
        await page.route(`${new URL(hs.baseUrl).origin}/**`, async (route) => {
            const request = { headers: { ...route.request().headers(), authorization: `Bearer ${token}` } };
            if (!withoutDisposition) {
                await route.continue(request);
                return;
            }
            const response = await route.fetch(request);
            const { "content-disposition": disposition, ...kept } = response.headers();
            dropped = disposition;
            await route.fulfill({ response, headers: kept });
        });
    }
    const responded = page.waitForEvent("response", { predicate: (r) => r.url() === url, timeout: EVENT_TIMEOUT_MS })
        .catch(() => null);
    const download = page.waitForEvent("download", { timeout: EVENT_TIMEOUT_MS }).catch(() => null);
    try {
        const response = await page.goto(url, { waitUntil: "load" });
        return { page, context, response, headers: await response.allHeaders(), dropped };
    } catch (e) {
        const started = await download;
        if (!started) throw e;
        const response = await responded;
        assert.ok(response, `Chromium downloaded ${url} but reported no response for it`);
        return { page, context, download: started, headers: await response.allHeaders() };
    }
}

async function upload(alice, kind) {
    const { type, name, bytes } = PAGES[kind];
    const body = Buffer.from(bytes(listener.beaconUrl));
    const { content_uri } = await alice.client.uploadContent(body, { name, type });
    return { url: `${hs.baseUrl}/_matrix/client/v1/media/download/${content_uri.slice("mxc://".length)}`, body };
}

for (const kind of Object.keys(PAGES)) {
    hs.scenario(`an uploaded ${kind} opened in Chromium is downloaded, sandboxed, and its script never runs`,
        async (ctx, t) => {
            const chromiumBrowser = await launchedBrowser(t);
            if (!chromiumBrowser) return;
            const alice = await ctx.registerUser(`browser_${kind}`);
            const token = alice.response.access_token;
            const { url, body } = await upload(alice, kind);

            // As served: a download, not a document.
            const served = await open(chromiumBrowser, url, { token });
            try {
                assert.ok(served.download, `Chromium rendered ${url} instead of downloading it`);
                assert.equal(served.download.suggestedFilename(), PAGES[kind].name);
                assert.deepEqual(readFileSync(await served.download.path()), body, "the downloaded bytes");
                assert.match(served.headers["content-disposition"], /^attachment;/);
                assert.match(served.headers["content-security-policy"], /\bsandbox\b/);
                assert.equal(served.page.url(), "about:blank", "the page stays where it was");
            } finally {
                await served.context.close();
            }

            // The same answer without its Content-Disposition renders, sandboxed by the CSP: no script.
            const inline = await open(chromiumBrowser, url, { token, withoutDisposition: true });
            try {
                assert.equal(inline.response.status(), 200);
                assert.match(inline.dropped, /^attachment;/, "the Content-Disposition the test took out");
                assert.match(inline.headers["content-security-policy"], /\bsandbox\b/);
                assert.equal(inline.headers["x-content-type-options"], "nosniff");
                assert.deepEqual(await documentState(inline.page, kind), { rendered: true, marked: null, title: TITLE });
            } finally {
                await inline.context.close();
            }

            // Control: the same bytes with a bare Content-Type run their script.
            const controlUrl = `${listener.origin}/control/${kind}`;
            const control = await open(chromiumBrowser, controlUrl);
            try {
                assert.equal(Buffer.from(await control.response.body()).toString(), body.toString());
                await listener.awaitBeacons(controlUrl);
                assert.deepEqual(await documentState(control.page, kind),
                    { rendered: true, marked: "ran", title: SCRIPT_TITLE });
            } finally {
                await control.context.close();
            }
            // The control's beacons arrived after anything the homeserver's copies could have sent.
            assert.deepEqual(listener.beacons.filter((b) => !b.from?.startsWith(`${listener.origin}/control/`)), [],
                "beacons from the homeserver's copies");
        });
}
