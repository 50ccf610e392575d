// The official `nylas` Node SDK (pinned in package.json) driven against a real patchbay server.
//
// The `before` hook starts the patchbay binary on port 0 with a fresh database and the demo fixtures;
// every test then goes through the SDK exactly as an application would. Expected bodies follow the
// Nylas behaviour notes (PATCH /v3/connectors/{provider}/creds/{id}, its GET read-back and the SDK's
// error surface: NylasApiError with type, message, statusCode and requestId).
//
// The server comes from patchbay-client (clients/node, a file: dependency): PATCHBAY_BIN (set by
// tests/sdk/run.sh), else `patchbay` on PATH; open keys stay off, as the suite expects unknown keys refused.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Nylas, { NylasApiError } from 'nylas';

import { startPatchbay } from 'patchbay-client';

const fixturesDir = fileURLToPath(new URL('../../../fixtures/', import.meta.url));


// Demo keys and credentials from fixtures/nylas.json.
const DEV_KEY = 'nyk_v0_Zq8Tn3RkWv5Yb2Hc7Jm4Lp9Xd6Fs1Ga0Ue3Oi8Kt2Nw5Qy7';
const PROD_KEY = 'nyk_v0_Pr0d9Lm2Kx7Vb4Nc8Zq1Wd5Ry3Tf6Gh0Js2Ua7Ie9Ok4Xc3';
const UNKNOWN_KEY = 'nyk_v0_UnKn0wnKey000000000000000000000000000000000000';
const DEV_GOOGLE_CONNECTOR = 'a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601';
const DEV_GOOGLE_SERVICE = 'b4e2d3c5-6c7f-4a81-9b02-c3d4e5f60712';
const DEV_MICROSOFT_CONSENT = 'd6a4f5e7-8e91-4ca3-9d24-e5f607182934';
const DEV_ZOOM_CONNECTOR = 'e7b5a6f8-9fa2-4db4-8e35-f60718293a45';
const UNKNOWN_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';

const fixtures = JSON.parse(readFileSync(path.join(fixturesDir, 'nylas.json'), 'utf8'));

/** The fixture record of `id`, as loaded into the fresh database. */
function fixtureRecord(id) {
    const record = fixtures.records.find((r) => r.id === id);
    assert.ok(record, `fixtures/nylas.json has no record ${id}`);
    return record;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let patchbay;
let baseUrl;

async function stopPatchbay() {
    await patchbay.stop();
}

before(async () => {
    patchbay = await startPatchbay({ suite: 'nylas', openKeys: false });
    baseUrl = patchbay.baseUrl;
});

after(async () => {
    await stopPatchbay();
});

function nylas(apiKey, apiUri = baseUrl) {
    return new Nylas({ apiKey, apiUri });
}

/** The stored record of `id` in `tenant`, from the admin view (secrets included). */
async function stored(tenant, id) {
    const response = await fetch(`${baseUrl}/_patchbay/state/nylas?tenant=${tenant}`);
    assert.equal(response.status, 200);
    const body = await response.json();
    return body.records.find((record) => record.id === id);
}

/** Checks an SDK success: `{requestId, data, flowId, headers}` with the id from body and header alike. */
function checkResponse(response) {
    assert.deepStrictEqual(Object.keys(response), ['requestId', 'data', 'flowId', 'headers']);
    assert.match(response.requestId, UUID_V4);
    // The SDK camelCases the (deprecated) `headers` copy too; `rawHeaders` keeps the names as sent.
    assert.equal(response.rawHeaders['x-request-id'], response.requestId, 'x-request-id equals the body request_id');
    assert.equal(response.headers.xRequestId, response.requestId);
    assert.equal(response.flowId, undefined);
    assert.deepStrictEqual(Object.keys(response.data), ['id', 'name', 'createdAt', 'updatedAt']);
    assert.ok(Number.isInteger(response.data.createdAt) && Number.isInteger(response.data.updatedAt), 'integer Unix seconds');
    return response.data;
}

/** Awaits a rejected SDK call and checks that it is a NylasApiError carrying our status, type, message and request id. */
async function assertNylasError(promise, statusCode, type, message) {
    await assert.rejects(promise, (err) => {
        assert.ok(err instanceof NylasApiError, `expected a NylasApiError, got ${err?.constructor?.name}: ${err}`);
        assert.equal(err.statusCode, statusCode, `statusCode; message was ${err.message}`);
        assert.equal(err.type, type);
        assert.equal(err.message, message);
        assert.match(err.requestId ?? '', UUID_V4, 'requestId comes from x-request-id');
        assert.equal(err.headers['x-request-id'], err.requestId);
        assert.equal(err.providerError, undefined);
        return true;
    });
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('connectors.credentials.update and find on a google connector override', () => {
    const fixture = fixtureRecord(DEV_GOOGLE_CONNECTOR);
    let updated;

    it('updates the name and credential data and answers the credential object', async () => {
        const response = await nylas(DEV_KEY).connectors.credentials.update({
            provider: 'google',
            credentialsId: DEV_GOOGLE_CONNECTOR,
            requestBody: {
                name: 'Google via SDK',
                // The SDK turns nested keys into snake_case: clientId becomes client_id.
                credentialData: { clientId: 'sdk-client-id', clientSecret: 'sdk-client-secret' },
            },
        });
        const data = checkResponse(response);
        assert.equal(data.id, DEV_GOOGLE_CONNECTOR);
        assert.equal(data.name, 'Google via SDK');
        assert.equal(data.createdAt, fixture.created_at);
        assert.ok(data.updatedAt > fixture.updated_at, 'updated_at moves forward');
        assert.ok(Math.abs(data.updatedAt - nowSeconds()) <= 5, `updated_at ${data.updatedAt} is now`);
        assert.ok(!JSON.stringify(response.data).includes('sdk-client-secret'), 'credential_data is never returned');
        assert.deepStrictEqual((await stored('app-dev', DEV_GOOGLE_CONNECTOR)).credential_data, {
            client_id: 'sdk-client-id',
            client_secret: 'sdk-client-secret',
        });
        updated = data;
    });

    it('reads the change back with find', async () => {
        assert.ok(updated, 'depends on the previous test');
        const response = await nylas(DEV_KEY).connectors.credentials.find({ provider: 'google', credentialsId: DEV_GOOGLE_CONNECTOR });
        assert.deepStrictEqual(checkResponse(response), updated);
    });

    it('keeps the credential data when only the name is sent, and moves updated_at again', async () => {
        assert.ok(updated, 'depends on the first test');
        const client = nylas(DEV_KEY);
        const response = await client.connectors.credentials.update({
            provider: 'google',
            credentialsId: DEV_GOOGLE_CONNECTOR,
            requestBody: { name: 'Google renamed via SDK' },
        });
        const data = checkResponse(response);
        assert.equal(data.name, 'Google renamed via SDK');
        assert.ok(data.updatedAt > updated.updatedAt, 'updated_at moves to a later second on every PATCH');
        assert.deepStrictEqual((await stored('app-dev', DEV_GOOGLE_CONNECTOR)).credential_data, {
            client_id: 'sdk-client-id',
            client_secret: 'sdk-client-secret',
        });
        const found = await client.connectors.credentials.find({ provider: 'google', credentialsId: DEV_GOOGLE_CONNECTOR });
        assert.deepStrictEqual(checkResponse(found), data);
    });
});

describe('each credential type through the SDK', () => {
    it('replaces a google service account key', async () => {
        const response = await nylas(DEV_KEY).connectors.credentials.update({
            provider: 'google',
            credentialsId: DEV_GOOGLE_SERVICE,
            requestBody: {
                credentialData: {
                    privateKeyId: 'sdk-key-id',
                    privateKey: '-----BEGIN PRIVATE KEY-----\nsdk\n-----END PRIVATE KEY-----\n',
                    clientEmail: 'sdk@patchbay-demo.iam.gserviceaccount.com',
                },
            },
        });
        assert.equal(checkResponse(response).name, fixtureRecord(DEV_GOOGLE_SERVICE).name);
        assert.deepStrictEqual((await stored('app-dev', DEV_GOOGLE_SERVICE)).credential_data, {
            private_key_id: 'sdk-key-id',
            private_key: '-----BEGIN PRIVATE KEY-----\nsdk\n-----END PRIVATE KEY-----\n',
            client_email: 'sdk@patchbay-demo.iam.gserviceaccount.com',
        });
    });

    it('replaces a microsoft admin consent whole: a tenant left out is dropped', async () => {
        const response = await nylas(DEV_KEY).connectors.credentials.update({
            provider: 'microsoft',
            credentialsId: DEV_MICROSOFT_CONSENT,
            requestBody: { credentialData: { clientId: 'sdk-azure-id', clientSecret: 'sdk-azure-secret' } },
        });
        checkResponse(response);
        assert.deepStrictEqual((await stored('app-dev', DEV_MICROSOFT_CONSENT)).credential_data, {
            client_id: 'sdk-azure-id',
            client_secret: 'sdk-azure-secret',
        });
    });

    it('works with the /nylas prefix as apiUri', async () => {
        const client = nylas(DEV_KEY, `${baseUrl}/nylas`);
        const response = await client.connectors.credentials.update({
            provider: 'zoom',
            credentialsId: DEV_ZOOM_CONNECTOR,
            requestBody: { name: 'Zoom via prefix' },
        });
        assert.equal(checkResponse(response).name, 'Zoom via prefix');
        const found = await client.connectors.credentials.find({ provider: 'zoom', credentialsId: DEV_ZOOM_CONNECTOR });
        assert.equal(checkResponse(found).name, 'Zoom via prefix');
    });
});

describe('errors surface as NylasApiError with our type, message, statusCode and requestId', () => {
    it('401 token.unauthorized_access for a wrong key, on update and find', async () => {
        const client = nylas(UNKNOWN_KEY);
        await assertNylasError(
            client.connectors.credentials.update({ provider: 'google', credentialsId: DEV_GOOGLE_CONNECTOR, requestBody: { name: 'x' } }),
            401,
            'token.unauthorized_access',
            'Bearer token invalid'
        );
        await assertNylasError(
            client.connectors.credentials.find({ provider: 'google', credentialsId: DEV_GOOGLE_CONNECTOR }),
            401,
            'token.unauthorized_access',
            'Bearer token invalid'
        );
    });

    it('404 api.not_found_error for an unknown id', async () => {
        const client = nylas(DEV_KEY);
        const message = `Credential "${UNKNOWN_ID}" not found`;
        await assertNylasError(
            client.connectors.credentials.update({ provider: 'google', credentialsId: UNKNOWN_ID, requestBody: { name: 'x' } }),
            404,
            'api.not_found_error',
            message
        );
        await assertNylasError(client.connectors.credentials.find({ provider: 'google', credentialsId: UNKNOWN_ID }), 404, 'api.not_found_error', message);
    });

    it('404 api.not_found_error for a credential of another connector', async () => {
        await assertNylasError(
            nylas(DEV_KEY).connectors.credentials.update({ provider: 'microsoft', credentialsId: DEV_GOOGLE_CONNECTOR, requestBody: { name: 'x' } }),
            404,
            'api.not_found_error',
            `Credential "${DEV_GOOGLE_CONNECTOR}" not found`
        );
    });

    it('404 api.not_found_error for a credential of another application', async () => {
        const before = await stored('app-dev', DEV_GOOGLE_CONNECTOR);
        await assertNylasError(
            nylas(PROD_KEY).connectors.credentials.update({ provider: 'google', credentialsId: DEV_GOOGLE_CONNECTOR, requestBody: { name: 'hijacked' } }),
            404,
            'api.not_found_error',
            `Credential "${DEV_GOOGLE_CONNECTOR}" not found`
        );
        assert.deepStrictEqual(await stored('app-dev', DEV_GOOGLE_CONNECTOR), before);
    });

    it('400 api.invalid_request_error for a provider outside the enum', async () => {
        await assertNylasError(
            nylas(DEV_KEY).connectors.credentials.find({ provider: 'inbox', credentialsId: DEV_GOOGLE_CONNECTOR }),
            400,
            'api.invalid_request_error',
            'Invalid provider "inbox": must be one of google, microsoft, imap, icloud, yahoo, ews, virtual-calendar, zoom, nylas'
        );
    });

    it('400 api.invalid_request_error for credential data the type does not accept, leaving the credential untouched', async () => {
        const client = nylas(DEV_KEY);
        const before = await stored('app-dev', DEV_GOOGLE_CONNECTOR);
        await assertNylasError(
            client.connectors.credentials.update({
                provider: 'google',
                credentialsId: DEV_GOOGLE_CONNECTOR,
                requestBody: { name: 'lost', credentialData: { clientSecret: 'only-the-secret' } },
            }),
            400,
            'api.invalid_request_error',
            'credential_data.client_id is required for connector credentials'
        );
        assert.deepStrictEqual(await stored('app-dev', DEV_GOOGLE_CONNECTOR), before);
    });

    it('400 api.invalid_request_error for a name another credential of the connector holds', async () => {
        await assertNylasError(
            nylas(DEV_KEY).connectors.credentials.update({
                provider: 'google',
                credentialsId: DEV_GOOGLE_CONNECTOR,
                requestBody: { name: fixtureRecord(DEV_GOOGLE_SERVICE).name },
            }),
            400,
            'api.invalid_request_error',
            `A credential named "${fixtureRecord(DEV_GOOGLE_SERVICE).name}" already exists for connector google`
        );
    });

    it('400 api.invalid_request_error for a field the update does not take', async () => {
        await assertNylasError(
            nylas(DEV_KEY).connectors.credentials.update({
                provider: 'google',
                credentialsId: DEV_GOOGLE_CONNECTOR,
                requestBody: { hashedData: 'x' },
            }),
            400,
            'api.invalid_request_error',
            'Invalid request body: unknown field "hashed_data"'
        );
    });
});

describe('faults injected through the control API surface as NylasApiError', () => {
    /** Adds one fault rule for the dev application's key, for the next request only. */
    async function fault(rule) {
        const response = await fetch(`${baseUrl}/_patchbay/faults`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ vendor: 'nylas', key: DEV_KEY, times: 1, ...rule }),
        });
        assert.equal(response.status, 201, await response.text());
    }

    it('an injected 429 is nylas_rate_limit_exceeded with Retry-After and no X-RateLimit headers', async () => {
        await fault({ kind: 'rate_limit', retry_after: 5 });
        await assert.rejects(
            nylas(DEV_KEY).connectors.credentials.find({ provider: 'google', credentialsId: DEV_GOOGLE_CONNECTOR }),
            (err) => {
                assert.ok(err instanceof NylasApiError, `expected a NylasApiError, got ${err?.constructor?.name}: ${err}`);
                assert.equal(err.statusCode, 429);
                assert.equal(err.type, 'nylas_rate_limit_exceeded');
                assert.match(err.requestId ?? '', UUID_V4);
                assert.equal(err.headers['retry-after'], '5');
                assert.ok(Object.keys(err.headers).every((name) => !name.startsWith('x-ratelimit')));
                return true;
            }
        );
    });

    it('an injected 500 is api.internal_error, and the update it stopped changed nothing', async () => {
        const before = await stored('app-dev', DEV_GOOGLE_CONNECTOR);
        await fault({ kind: 'status', status: 500 });
        await assertNylasError(
            nylas(DEV_KEY).connectors.credentials.update({
                provider: 'google',
                credentialsId: DEV_GOOGLE_CONNECTOR,
                requestBody: { name: 'never stored' },
            }),
            500,
            'api.internal_error',
            'Internal error, contact administrator.'
        );
        assert.deepStrictEqual(await stored('app-dev', DEV_GOOGLE_CONNECTOR), before);
        // The rule is spent: the same call now goes through.
        const response = await nylas(DEV_KEY).connectors.credentials.find({ provider: 'google', credentialsId: DEV_GOOGLE_CONNECTOR });
        assert.equal(response.data.id, DEV_GOOGLE_CONNECTOR);
    });
});
