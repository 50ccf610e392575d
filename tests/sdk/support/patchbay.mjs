// Starts and stops a patchbay server for an SDK suite: the built binary (PATCHBAY_BIN, default
// <repo>/target/debug/patchbay) on 127.0.0.1, port 0, with a fresh database in a temporary
// directory and the repository's fixtures. Shared by every Node suite under tests/sdk/.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const fixturesDir = path.join(repoRoot, 'fixtures');
const patchbayBin = path.resolve(process.env.PATCHBAY_BIN || path.join(repoRoot, 'target', 'debug', 'patchbay'));
const startupTimeoutMs = 10_000;
const running = new Set();

// If the test process dies without stopping its servers, do not leave them behind.
process.on('exit', () => {
    for (const child of running) {
        child.kill('SIGKILL');
    }
});

/**
 * Starts patchbay and resolves once it prints its `listening on` line.
 *
 * `suite` names the temporary directory; `logLevel` sets PATCHBAY__LOG__LEVEL (RUST_LOG is dropped so
 * that it cannot override it); `args` are extra `serve` flags.
 * Resolves with `{ baseUrl, log(), stop() }`: `log()` is everything written to stderr (the log; stdout
 * is the banner, which shows demo keys on purpose), `stop()` ends this server and only this one.
 */
export function startPatchbay({ suite, logLevel, args = [] } = {}) {
    if (!existsSync(patchbayBin)) {
        throw new Error(`patchbay binary not found at ${patchbayBin}: run \`cargo build -p patchbay-server\` first or set PATCHBAY_BIN`);
    }
    const tempDir = mkdtempSync(path.join(tmpdir(), `patchbay-sdk-${suite ?? 'suite'}-`));
    const env = { ...process.env };
    if (logLevel) {
        env.PATCHBAY__LOG__LEVEL = logLevel;
        delete env.RUST_LOG;
    }
    const serveArgs = ['serve', '--bind', '127.0.0.1:0', '--db', path.join(tempDir, 'sdk.db'), '--fixtures', fixturesDir, ...args];
    const child = spawn(patchbayBin, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'], env });
    running.add(child);
    child.once('exit', () => running.delete(child));

    // Both pipes are drained for the whole run so that a chatty server never blocks on a full pipe.
    let output = '';
    let log = '';
    const keep = (chunk) => {
        if (output.length < 64 * 1024) {
            output += chunk;
        }
    };

    const stop = async () => {
        if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
            if ((await Promise.race([exited, timeout])) === 'timeout') {
                child.kill('SIGKILL');
                await exited;
            }
        }
        rmSync(tempDir, { recursive: true, force: true });
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
        const timer = setTimeout(() => {
            fail(`patchbay did not print "listening on" within ${startupTimeoutMs / 1000} s${describeOutput()}`);
        }, startupTimeoutMs);

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
                const match = /^patchbay \S+ listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/.exec(line);
                if (match) {
                    settle(resolve, { baseUrl: match[1], log: () => log, stop });
                    return;
                }
            }
        });
        child.on('error', (err) => fail(`could not start ${patchbayBin}: ${err.message}`));
        child.on('exit', (code, signal) => {
            if (!settled) {
                fail(`patchbay exited before listening (code ${code}, signal ${signal})${describeOutput()}`);
            }
        });
    });
}
