// patchbay test helpers: start the server (or attach to one), give each test fresh open keys for
// every vendor, read the request journal, inject faults around a block, reset and seed. Plain
// functions usable from any runner; `usePatchbay(hooks)` wires them into a runner's hooks, and the
// `patchbay-client/node-test`, `/vitest` and `/jest` entry points pass each runner's own.

import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const VENDORS = Object.freeze(['nango', 'langdock', 'nylas', 'composio', 'puretalk']);

// Where each vendor's official SDK expects its base URL, relative to the server.
const SDK_PATHS = { nango: '', langdock: '', nylas: '', composio: '', puretalk: '/api' };
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const running = new Set();

// A test process that dies without stopping its servers does not leave them behind.
process.on('exit', () => {
    for (const child of running) {
        child.kill('SIGKILL');
    }
});

function randomText(length) {
    const bytes = randomBytes(length);
    return Array.from(bytes, (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

function checkVendor(vendor) {
    if (!(vendor in SDK_PATHS)) {
        throw new Error(`unknown vendor ${JSON.stringify(vendor)}: one of ${VENDORS.join(', ')}`);
    }
}

/** A key well-formed for `vendor` and known to no tenant (open keys make it a tenant on first use). */
export function newKey(vendor) {
    checkVendor(vendor);
    switch (vendor) {
        case 'nango': return randomUUID();
        case 'langdock': return `sk-${randomText(32)}`;
        case 'nylas': return `nyk_v0_${randomText(48)}`;
        case 'composio': return `ak_${randomText(24)}`;
        default: return randomText(40);
    }
}

export class PatchbayError extends Error {
    constructor(status, body) {
        super(`patchbay control API answered ${status}: ${JSON.stringify(body)}`);
        this.name = 'PatchbayError';
        this.status = status;
        this.body = body;
    }
}

export class Patchbay {
    constructor(url, { adminToken, child, tempDir, log } = {}) {
        this.url = url.replace(/\/+$/, '');
        this.adminToken = adminToken;
        this._child = child;
        this._tempDir = tempDir;
        this._log = log ?? (() => '');
    }

    /** The server's URL (the name the first helpers used). */
    get baseUrl() {
        return this.url;
    }

    /** What the server logged so far (a started server only). */
    log() {
        return this._log();
    }

    /** The base URL to hand `vendor`'s official SDK. */
    sdkBaseUrl(vendor) {
        checkVendor(vendor);
        return this.url + SDK_PATHS[vendor];
    }

    /** One control API call: the decoded JSON answer, or a PatchbayError. */
    async control(method, route, { body, query } = {}) {
        let url = `${this.url}/_patchbay${route}`;
        const pairs = Object.entries(query ?? {}).filter(([, value]) => value !== undefined && value !== null);
        if (pairs.length > 0) {
            url += `?${new URLSearchParams(pairs.map(([k, v]) => [k, String(v)]))}`;
        }
        const headers = { 'content-type': 'application/json' };
        if (this.adminToken) {
            headers.authorization = `Bearer ${this.adminToken}`;
        }
        const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await response.text();
        let answer = null;
        try {
            answer = text ? JSON.parse(text) : null;
        } catch {
            answer = text;
        }
        if (!response.ok) {
            throw new PatchbayError(response.status, answer);
        }
        return answer;
    }

    health() { return this.control('GET', '/health'); }

    /** Journal entries, oldest first; filters as the control API takes them (vendor, key, status...).
     * Without `limit`, every matching entry the journal holds, read page by page. */
    async requests(filters = {}) {
        // With `limit`, that one page; without, every matching entry, read page by page.
        if (filters.limit !== undefined) {
            return (await this.control('GET', '/requests', { query: filters })).requests;
        }
        const query = { ...filters, after: filters.after ?? 0, limit: 1000 };
        const entries = [];
        for (;;) {
            const page = await this.control('GET', '/requests', { query });
            entries.push(...page.requests);
            if (page.next_after === null || page.next_after === undefined) return entries;
            query.after = page.next_after;
        }
    }

    async clearRequests() { await this.control('DELETE', '/requests'); }

    /** Adds a fault rule (vendor, key, kind, status, times...) and returns its id. */
    async addFault(rule) {
        return (await this.control('POST', '/faults', { body: rule })).faults[0].id;
    }

    async removeFault(id) {
        try {
            await this.control('DELETE', `/faults/${encodeURIComponent(id)}`);
        } catch (error) {
            // A `times` rule that fired out is gone already.
            if (!(error instanceof PatchbayError && error.status === 404)) {
                throw error;
            }
        }
    }

    async clearFaults() { await this.control('DELETE', '/faults'); }

    /** Runs `block` with the fault rule in force, and removes it after, however `block` ends. */
    async withFault(rule, block) {
        const id = await this.addFault(rule);
        try {
            return await block(id);
        } finally {
            await this.removeFault(id);
        }
    }

    /** Back to the fixtures: everything, or `{ vendor }`, `{ vendor, tenant }` or `{ key }`. */
    reset(scope = {}) { return this.control('POST', '/reset', { body: scope }); }

    /** Upserts keys and records: `{ nango: { keys: [...], records: [...] }, ... }`. */
    seed(documents) { return this.control('POST', '/seed', { body: documents }); }

    state(vendor, tenant) { return this.control('GET', `/state/${vendor}`, { query: { tenant } }); }

    /** Fresh open keys, one per vendor (the server must run with open keys). */
    tenant() { return new Tenant(this); }

    /** Stops a server that `startPatchbay` started; an attached one is left running. */
    async stop() {
        const child = this._child;
        this._child = undefined;
        if (child && child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
            if ((await Promise.race([exited, timeout])) === 'timeout') {
                child.kill('SIGKILL');
                await exited;
            }
        }
        if (this._tempDir) {
            rmSync(this._tempDir, { recursive: true, force: true });
            this._tempDir = undefined;
        }
    }
}

/** One test's own state: a fresh open key per vendor, each a tenant nobody else uses. */
export class Tenant {
    constructor(server) {
        this.server = server;
        this.keys = Object.fromEntries(VENDORS.map((vendor) => [vendor, newKey(vendor)]));
    }

    get url() { return this.server.url; }

    key(vendor) {
        checkVendor(vendor);
        return this.keys[vendor];
    }

    baseUrl(vendor) { return this.server.sdkBaseUrl(vendor); }

    /** This tenant's journal entries for `vendor`, oldest first; none before its key is used. */
    async requests(vendor, filters = {}) {
        try {
            return await this.server.requests({ ...filters, vendor, key: this.key(vendor) });
        } catch (error) {
            // A key that made no request yet names no tenant.
            if (error instanceof PatchbayError && error.status === 404) {
                return [];
            }
            throw error;
        }
    }

    /** Runs `block` with a fault on this tenant's requests to `vendor` only. */
    withFault(vendor, rule, block) {
        return this.server.withFault({ ...rule, vendor, key: this.key(vendor) }, block);
    }

    /** Back to the demo records (once the key has been used: that creates the tenant). */
    reset(vendor) { return this.server.reset({ key: this.key(vendor) }); }
}

/** PATCHBAY_BIN, else `patchbay` on PATH. */
export function findBinary() {
    if (process.env.PATCHBAY_BIN) {
        return path.resolve(process.env.PATCHBAY_BIN);
    }
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
        const candidate = path.join(dir, 'patchbay');
        if (dir && existsSync(candidate)) {
            return candidate;
        }
    }
    throw new Error('patchbay not found: put it on PATH (cargo install --path crates/server --locked), set PATCHBAY_BIN to the binary, or PATCHBAY_URL to a running server');
}

/**
 * Starts `patchbay serve` on 127.0.0.1, port 0, with a fresh database in a temporary directory
 * (so that it serves the demo data built into the binary), and resolves once it listens.
 * `openKeys` (default true) turns open keys on; `logLevel` sets the log filter; `args` are extra
 * `serve` flags; `suite` names the temporary directory.
 */
export function startPatchbay({ binary, args = [], openKeys = true, logLevel, suite, timeoutMs = 15_000 } = {}) {
    const command = binary ?? findBinary();
    const tempDir = mkdtempSync(path.join(tmpdir(), `patchbay-${suite ?? 'test'}-`));
    const env = { ...process.env };
    if (logLevel) {
        env.PATCHBAY__LOG__LEVEL = logLevel;
        delete env.RUST_LOG;
    }
    const serveArgs = ['serve', '--bind', '127.0.0.1:0', '--db', path.join(tempDir, 'patchbay.db'), ...(openKeys ? ['--open-keys'] : []), ...args];
    const child = spawn(command, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: tempDir });
    running.add(child);
    child.once('exit', () => running.delete(child));

    // Both pipes are drained for the whole run, so a chatty server never blocks on a full pipe.
    let output = '';
    let log = '';
    const keep = (chunk) => {
        if (output.length < 64 * 1024) {
            output += chunk;
        }
    };
    return new Promise((resolve, reject) => {
        let stdoutBuffer = '';
        let settled = false;
        const settle = (fn, value) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                fn(value);
            }
        };
        const describeOutput = () => (output.trim() ? `\n--- patchbay output ---\n${output.trim()}` : ' (no output)');
        const fail = (message) => {
            child.kill('SIGKILL');
            rmSync(tempDir, { recursive: true, force: true });
            settle(reject, new Error(message));
        };
        const timer = setTimeout(() => fail(`patchbay did not print "listening on" within ${timeoutMs / 1000} s${describeOutput()}`), timeoutMs);
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk) => {
            keep(chunk);
            log += chunk;
        });
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk) => {
            keep(chunk);
            if (settled) {
                return;
            }
            stdoutBuffer += chunk;
            const lines = stdoutBuffer.split('\n');
            stdoutBuffer = lines.pop();
            for (const line of lines) {
                const match = /^patchbay \S+ listening on (http:\/\/\S+)\s*$/.exec(line);
                if (match) {
                    settle(resolve, new Patchbay(match[1], { child, tempDir, log: () => log }));
                    return;
                }
            }
        });
        child.on('error', (error) => fail(`could not start ${command}: ${error.message}`));
        child.on('exit', (code, signal) => {
            if (!settled) {
                fail(`patchbay exited before listening (code ${code}, signal ${signal})${describeOutput()}`);
            }
        });
    });
}

/** PATCHBAY_URL (with PATCHBAY_ADMIN_TOKEN) when set, else a server started by `startPatchbay`. */
export async function attachOrStart(options = {}) {
    if (process.env.PATCHBAY_URL) {
        const server = new Patchbay(process.env.PATCHBAY_URL, { adminToken: process.env.PATCHBAY_ADMIN_TOKEN });
        await server.health();
        return server;
    }
    return startPatchbay(options);
}

/**
 * Wires patchbay into a runner's hooks: one server for the file (started in `beforeAll`, stopped
 * in `afterAll`) and a fresh `Tenant` before each test. Returns an object whose `server` and
 * `tenant` are those of the moment (read them inside tests).
 */
export function usePatchbay({ beforeAll, afterAll, beforeEach }, options = {}) {
    const context = { server: undefined, tenant: undefined };
    beforeAll(async () => {
        context.server = await attachOrStart(options);
    });
    afterAll(async () => {
        await context.server?.stop();
    });
    beforeEach(() => {
        context.tenant = context.server.tenant();
    });
    return context;
}
