// `npm test`: starts one Myelin for the whole run, runs every test/*.test.mjs with node's
// test runner against it, then stops the server (also on failure or interrupt).

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
    SHARED_BASE_URL_ENV,
    SHARED_SERVER_NAME_ENV,
    SHARED_FEDERATION_URL_ENV,
    SHARED_SETTINGS_ENV,
    SHARED_START_ERROR_ENV,
    FEDERATION_COVERAGE_DIR_ENV,
    startServer,
} from "./lib/server.mjs";

const suiteDir = path.dirname(fileURLToPath(import.meta.url));
const testDir = path.join(suiteDir, "test");
const files = readdirSync(testDir)
    .filter((f) => f.endsWith(".test.mjs"))
    .sort()
    .map((f) => path.join("test", f));

let server;
let exitCode = 1;
let runner;
const interrupt = (signal) => {
    runner?.kill(signal);
};
process.on("SIGINT", interrupt);
process.on("SIGTERM", interrupt);

/** The server-server operations the federated files exercised between them, and those none did. */
function printFederationCoverage(dir) {
    const reports = readdirSync(dir).map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")));
    if (reports.length === 0) return;
    const covered = new Set(reports.flatMap((r) => r.covered));
    const all = reports[0].all;
    console.log(`# federation operations exercised by the suite (${all.filter((id) => covered.has(id)).length} of ${all.length}): `
        + all.filter((id) => covered.has(id)).join(", "));
    console.log(`# not exercised: ${all.filter((id) => !covered.has(id)).join(", ") || "none"}`);
}

const coverageDir = mkdtempSync(path.join(os.tmpdir(), "myelin-federation-coverage-"));
try {
    const env = { ...process.env, [FEDERATION_COVERAGE_DIR_ENV]: coverageDir };
    try {
        server = await startServer();
        env[SHARED_BASE_URL_ENV] = server.baseUrl;
        env[SHARED_SERVER_NAME_ENV] = server.serverName;
        env[SHARED_FEDERATION_URL_ENV] = server.federationUrl;
        env[SHARED_SETTINGS_ENV] = JSON.stringify(server.settings);
    } catch (e) {
        // Still run the suite, so the failure shows up as failed scenarios in the summary
        // (the server-independent tests run as usual).
        console.error(e);
        env[SHARED_START_ERROR_ENV] = e.message.split("\n")[0];
    }
    runner = spawn(process.execPath, ["--test", ...process.argv.slice(2), ...files], {
        cwd: suiteDir,
        stdio: "inherit",
        env,
    });
    exitCode = await new Promise((resolve) =>
        runner.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))),
    );
} catch (e) {
    console.error(e);
} finally {
    try {
        printFederationCoverage(coverageDir);
    } catch (e) {
        console.error(e);
    }
    rmSync(coverageDir, { recursive: true, force: true });
    try {
        await server?.stop();
    } catch (e) {
        console.error(e);
        exitCode = exitCode || 1;
    }
}
process.exit(exitCode);
