// Puretalk's documented calls, made with Node's built-in fetch (Puretalk publishes no SDK), against a
// real patchbay server.
//
// The docs (docs.puretalk.ai/api-reference/ruth-connect/update-integration) give the server
// `https://api.puretalk.ai/api`, the `X-API-KEY` header and the body `{"data":{"api_key":...}}`; their
// request snippet is the usual fetch call:
//   fetch(`${server}/ruth-connect/integrations/${integration_id}`,
//         { method: 'PATCH', headers: { 'X-API-KEY': key, 'Content-Type': 'application/json' },
//           body: JSON.stringify({ data: { api_key } }) }).then((response) => response.json())
// This suite makes exactly those calls with the server replaced by patchbay's `<url>/api`, checks the
// answers, and checks that patchbay's debug log never carries a key.
//
// Environment: PATCHBAY_BIN overrides the binary (default <repo>/target/debug/patchbay).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { fixturesDir, startPatchbay } from '../support/patchbay.mjs';


// Demo keys from fixtures/puretalk.json.
const ACME_KEY = 'pt-acme-demo-key-000000000000000000001';
const GLOBEX_KEY = 'pt-globex-demo-key-0000000000000000003';

// The OpenAPI document's example integration id, a fixture of account acme.
const HUBSPOT_ID = '123e4567-e89b-12d3-a456-426614174000';
const ORDERS_ID = '9c5b94b1-35ad-49bb-b118-8e8fc24abf80';
const GLOBEX_HUBSPOT_ID = '2c1d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

// The api_key values this suite sends: none may reach the log.
const SENT_API_KEYS = ['rotated-hubspot-key-7f3a9c', 'rotated-orders-key-51d0e2'];

const fixtures = JSON.parse(readFileSync(path.join(fixturesDir, 'puretalk.json'), 'utf8'));

function fixtureRecord(id) {
    const record = fixtures.records.find((r) => r.integration_id === id);
    assert.ok(record, `fixtures/puretalk.json has no record ${id}`);
    return record;
}

// Django REST framework datetimes: `2025-01-06T09:00:00Z`, or with microseconds.
const DRF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/;
const RESULT_KEYS = ['integration_id', 'app_name', 'friendly_app_name', 'logo', 'data', 'tools', 'is_custom_tool', 'created_at', 'updated_at'];

let patchbay;
let serverUrl;
let apiBase;
// stderr only: the log. (stdout is the banner, which shows a demo key on purpose.)
let serverLog = '';

/** Stops the server, once, and keeps its log. */
async function stopPatchbay() {
    await patchbay.stop();
    serverLog = patchbay.log();
}

before(async () => {
    patchbay = await startPatchbay({ suite: 'puretalk', logLevel: 'debug' });
    serverUrl = patchbay.baseUrl;
    // The OpenAPI `servers` URL is `https://api.puretalk.ai/api`.
    apiBase = `${serverUrl}/api`;
});

after(async () => {
    await stopPatchbay();
});

/** The docs' Update Integration call. Resolves with the status, content type and parsed body. */
async function updateIntegration(integrationId, apiKey, key = ACME_KEY, base = apiBase) {
    const options = {
        method: 'PATCH',
        headers: { 'X-API-KEY': key, 'Content-Type': 'application/json' },
        body: JSON.stringify({ data: { api_key: apiKey } })
    };
    const response = await fetch(`${base}/ruth-connect/integrations/${integrationId}`, options);
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}

/** The matching Get Integration call. */
async function getIntegration(integrationId, key = ACME_KEY) {
    const response = await fetch(`${apiBase}/ruth-connect/integrations/${integrationId}`, {
        method: 'GET',
        headers: { 'X-API-KEY': key }
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}

/** A raw PATCH, for bodies the docs' helper would not send. */
async function rawPatch(integrationId, headers, body) {
    const response = await fetch(`${apiBase}/ruth-connect/integrations/${integrationId}`, { method: 'PATCH', headers, body });
    return { status: response.status, body: await response.json() };
}

describe('Update Integration: PATCH /ruth-connect/integrations/{integration_id}', () => {
    let updatedAt;

    it('answers 200 { msg, err: false, results: RuthConnectIntegration } with the new api_key in clear', async () => {
        const fixture = fixtureRecord(HUBSPOT_ID);
        const { status, contentType, body } = await updateIntegration(HUBSPOT_ID, SENT_API_KEYS[0]);
        assert.equal(status, 200);
        assert.match(contentType, /^application\/json/);
        assert.deepStrictEqual(Object.keys(body), ['msg', 'err', 'results']);
        assert.deepStrictEqual(Object.keys(body.results), RESULT_KEYS);
        assert.match(body.results.updated_at, DRF_DATETIME);
        assert.ok(Date.parse(body.results.updated_at) > Date.parse(fixture.updated_at), 'updated_at moves forward');
        const { updated_at: _updatedAt, ...rest } = body.results;
        assert.deepStrictEqual(
            { msg: body.msg, err: body.err, results: rest },
            {
                msg: 'Integration updated successfully',
                err: false,
                results: {
                    integration_id: HUBSPOT_ID,
                    app_name: fixture.app_name,
                    friendly_app_name: fixture.friendly_app_name,
                    logo: fixture.logo,
                    data: { api_key: SENT_API_KEYS[0] },
                    tools: fixture.tools,
                    is_custom_tool: fixture.is_custom_tool,
                    created_at: fixture.created_at
                }
            }
        );
        updatedAt = body.results.updated_at;
    });

    it('reads the change back with GET', async () => {
        assert.ok(updatedAt, 'depends on the previous test');
        const { status, body } = await getIntegration(HUBSPOT_ID);
        const fixture = fixtureRecord(HUBSPOT_ID);
        assert.equal(status, 200);
        assert.deepStrictEqual(body, {
            msg: 'Integrations retrieved successfully',
            err: false,
            results: {
                integration_id: HUBSPOT_ID,
                app_name: fixture.app_name,
                friendly_app_name: fixture.friendly_app_name,
                logo: fixture.logo,
                data: { api_key: SENT_API_KEYS[0] },
                tools: fixture.tools,
                is_custom_tool: fixture.is_custom_tool,
                created_at: fixture.created_at,
                updated_at: updatedAt
            }
        });
    });

    it('works under patchbay\'s /puretalk/api prefix too', async () => {
        const { status, body } = await updateIntegration(ORDERS_ID, SENT_API_KEYS[1], ACME_KEY, `${serverUrl}/puretalk/api`);
        assert.equal(status, 200);
        assert.deepStrictEqual(body.results.data, { api_key: SENT_API_KEYS[1] });
        assert.equal(body.results.is_custom_tool, true);
    });
});

describe('errors are { err: true, msg } with Puretalk\'s statuses', () => {
    it('401 without a key and with an unknown key', async () => {
        const missing = await rawPatch(HUBSPOT_ID, { 'Content-Type': 'application/json' }, JSON.stringify({ data: { api_key: 'x' } }));
        assert.deepStrictEqual(missing, { status: 401, body: { err: true, msg: 'Authentication credentials were not provided.' } });
        const unknown = await updateIntegration(HUBSPOT_ID, 'x', 'pt-not-a-real-key-00000000000000000000');
        assert.equal(unknown.status, 401);
        assert.deepStrictEqual(unknown.body, { err: true, msg: 'Invalid API key.' });
    });

    it('404 for an unknown id, a non-UUID id and another account\'s integration', async () => {
        for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', GLOBEX_HUBSPOT_ID]) {
            const { status, body } = await updateIntegration(id, 'x');
            assert.equal(status, 404, id);
            assert.deepStrictEqual(body, { err: true, msg: 'Integration not found' });
        }
        const globex = await getIntegration(GLOBEX_HUBSPOT_ID, GLOBEX_KEY);
        assert.deepStrictEqual(globex.body.results.data, fixtureRecord(GLOBEX_HUBSPOT_ID).data);
    });

    it('400 for a missing, blank or non-string api_key, leaving the integration untouched', async () => {
        const before = await getIntegration(HUBSPOT_ID);
        const cases = [
            [{}, 'data: This field is required.'],
            [{ data: 'k' }, 'data: Invalid data. Expected a dictionary, but got str.'],
            [{ data: {} }, 'data.api_key: This field is required.'],
            [{ data: { api_key: '' } }, 'data.api_key: This field may not be blank.'],
            [{ data: { api_key: 42 } }, 'data.api_key: Not a valid string.'],
            [{ data: { api_key: 'k'.repeat(256) } }, 'data.api_key: Ensure this field has no more than 255 characters.']
        ];
        for (const [payload, msg] of cases) {
            const response = await rawPatch(HUBSPOT_ID, { 'X-API-KEY': ACME_KEY, 'Content-Type': 'application/json' }, JSON.stringify(payload));
            assert.deepStrictEqual(response, { status: 400, body: { err: true, msg } }, JSON.stringify(payload));
        }
        const malformed = await rawPatch(HUBSPOT_ID, { 'X-API-KEY': ACME_KEY, 'Content-Type': 'application/json' }, '{"data":');
        assert.equal(malformed.status, 400);
        assert.equal(malformed.body.err, true);
        assert.match(malformed.body.msg, /^JSON parse error - /);
        assert.deepStrictEqual(await getIntegration(HUBSPOT_ID), before);
    });

    it('415 when fetch sends a string body without a JSON content type', async () => {
        // fetch labels a string body text/plain;charset=UTF-8 unless told otherwise.
        const response = await rawPatch(HUBSPOT_ID, { 'X-API-KEY': ACME_KEY }, JSON.stringify({ data: { api_key: 'x' } }));
        assert.deepStrictEqual(response, {
            status: 415,
            body: { err: true, msg: 'Unsupported media type "text/plain;charset=UTF-8" in request.' }
        });
    });
});

describe('the log', () => {
    it('never carries an X-API-KEY or an api_key, even at debug level', async () => {
        await stopPatchbay();
        assert.match(serverLog, /request served/, 'debug logging was on');
        for (const secret of [ACME_KEY, GLOBEX_KEY, ...SENT_API_KEYS]) {
            assert.ok(!serverLog.includes(secret), `${secret} leaked into the log`);
        }
    });
});
