// The Langdock docs' own axios calls (axios pinned in package.json) driven against a real patchbay server.
//
// Langdock publishes no SDK: its docs show plain axios calls, e.g. for Update Integration
//   axios.patch(`https://api.langdock.com/integrations/v1/${integrationId}`, { name, description },
//               { headers: { Authorization: "Bearer YOUR_API_KEY", "Content-Type": "application/json" } })
// and the same style for Create Integration (POST /integrations/v1/create), List Integrations
// (GET /integrations/v1/get), Update Auth (PATCH /integrations/v1/{id}/auth) and Delete Action
// (DELETE /integrations/v1/{id}/actions/{actionId}).
// This suite makes exactly those calls with `https://api.langdock.com` replaced by patchbay's URL
// (and by `<url>/api/public`, as the docs say for dedicated deployments), checks the answers, and
// checks that patchbay's debug log never carries a key.
//
// Environment: PATCHBAY_BIN overrides the binary (default <repo>/target/debug/patchbay).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import axios from 'axios';

import { fixturesDir, startPatchbay } from '../support/patchbay.mjs';


// Demo keys from fixtures/langdock.json.
const ACME_KEY = 'sk-acme0integration0api0full0001';
const ACME_ASSISTANT_ONLY_KEY = 'sk-acme0assistant0api0only00002';
const GLOBEX_KEY = 'sk-globex0integration0api0000003';

// The docs' example integration id, a fixture of workspace acme.
const CRM_ID = '550e8400-e29b-41d4-a716-446655440000';
const TICKETING_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const GLOBEX_ERP_ID = '1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

const fixtures = JSON.parse(readFileSync(path.join(fixturesDir, 'langdock.json'), 'utf8'));

function fixtureRecord(id) {
    const record = fixtures.records.find((r) => r.id === id);
    assert.ok(record, `fixtures/langdock.json has no record ${id}`);
    return record;
}

let patchbay;
let baseUrl;
// stderr only: the log. (stdout is the banner, which shows a demo key on purpose.)
let serverLog = '';

/** Stops the server, once, and keeps its log. */
async function stopPatchbay() {
    await patchbay.stop();
    serverLog = patchbay.log();
}

before(async () => {
    patchbay = await startPatchbay({ suite: 'langdock', logLevel: 'debug' });
    baseUrl = patchbay.baseUrl;
});

after(async () => {
    await stopPatchbay();
});

/** The docs' `updateIntegration`, with the host replaced. */
async function updateIntegration(integrationId, body, apiKey = ACME_KEY, base = baseUrl) {
    const response = await axios.patch(`${base}/integrations/v1/${integrationId}`, body, {
        headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json'
        }
    });
    return response;
}

/** The docs' Get Integration call. */
async function getIntegration(integrationId, apiKey = ACME_KEY) {
    return axios.get(`${baseUrl}/integrations/v1/${integrationId}`, {
        headers: { Authorization: `Bearer ${apiKey}` }
    });
}

/** The docs' Create Integration call. */
async function createIntegration(body, apiKey = ACME_KEY, base = baseUrl) {
    return axios.post(`${base}/integrations/v1/create`, body, {
        headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json'
        }
    });
}

/** The docs' List Integrations call. */
async function listIntegrations(apiKey = ACME_KEY, base = baseUrl) {
    return axios.get(`${base}/integrations/v1/get`, {
        headers: { Authorization: `Bearer ${apiKey}` }
    });
}

/** The docs' Update Auth call. */
async function updateAuth(integrationId, body, apiKey = ACME_KEY, base = baseUrl) {
    return axios.patch(`${base}/integrations/v1/${integrationId}/auth`, body, {
        headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json'
        }
    });
}

/** Awaits a rejected axios call and checks the AxiosError's status and Langdock body. */
async function assertApiError(promise, status, message) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.isAxiosError, true, `expected an AxiosError, got ${err}`);
        assert.ok(err.response, `no response on the AxiosError: ${err.message}`);
        assert.equal(err.response.status, status, `status; body was ${JSON.stringify(err.response.data)}`);
        assert.deepStrictEqual(err.response.data, { message });
        return true;
    });
}

describe('the docs example: updateIntegration("550e8400-...")', () => {
    it('answers 200 with exactly { integration: { id, name, description } }', async () => {
        const response = await updateIntegration(CRM_ID, {
            name: 'Updated Integration Name',
            description: 'New description for the integration'
        });
        assert.equal(response.status, 200);
        assert.match(response.headers['content-type'], /^application\/json/);
        assert.deepStrictEqual(Object.keys(response.data), ['integration']);
        assert.deepStrictEqual(Object.keys(response.data.integration), ['id', 'name', 'description']);
        assert.deepStrictEqual(response.data.integration, {
            id: CRM_ID,
            name: 'Updated Integration Name',
            description: 'New description for the integration'
        });
    });

    it('reads the change back in the Get Integration shape, everything else as before', async () => {
        const response = await getIntegration(CRM_ID);
        const fixture = fixtureRecord(CRM_ID);
        assert.equal(response.status, 200);
        assert.deepStrictEqual(response.data, {
            integration: {
                id: CRM_ID,
                name: 'Updated Integration Name',
                description: 'New description for the integration',
                authType: fixture.authType,
                authTestCode: fixture.authTestCode,
                authFields: fixture.authFields,
                oauthClient: null,
                actions: fixture.actions,
                triggers: fixture.triggers
            }
        });
    });

    it('changes only the fields sent (iconUrl and color are not echoed)', async () => {
        const response = await updateIntegration(CRM_ID, { iconUrl: 'https://cdn.example.com/new.png', color: '#10b981' });
        assert.deepStrictEqual(response.data, {
            integration: { id: CRM_ID, name: 'Updated Integration Name', description: 'New description for the integration' }
        });
    });

    it('works against a dedicated deployment base URL (<url>/api/public)', async () => {
        const response = await updateIntegration(TICKETING_ID, { name: 'Tickets' }, ACME_KEY, `${baseUrl}/api/public`);
        assert.deepStrictEqual(response.data, {
            integration: { id: TICKETING_ID, name: 'Tickets', description: fixtureRecord(TICKETING_ID).description }
        });
        const read = await getIntegration(TICKETING_ID);
        assert.equal(read.data.integration.name, 'Tickets');
        assert.ok(!JSON.stringify(read.data).includes(fixtureRecord(TICKETING_ID).oauthClient.clientSecret), 'the client secret is write-only');
    });
});

describe('errors surface as AxiosError with Langdock\'s status and { message }', () => {
    it('400 for a name over 40 characters, leaving the integration untouched', async () => {
        const before = await getIntegration(CRM_ID);
        await assertApiError(updateIntegration(CRM_ID, { name: 'x'.repeat(41) }), 400, 'Invalid request body: name must be at most 40 characters');
        await assertApiError(
            updateIntegration(CRM_ID, { description: 'x'.repeat(91) }),
            400,
            'Invalid request body: description must be at most 90 characters'
        );
        await assertApiError(updateIntegration(CRM_ID, { iconUrl: 'icon.png' }), 400, 'Invalid request body: iconUrl must be an absolute http or https URL');
        await assertApiError(updateIntegration(CRM_ID, { color: 'green' }), 400, 'Invalid request body: color must be a hex color code (#RGB or #RRGGBB)');
        assert.deepStrictEqual((await getIntegration(CRM_ID)).data, before.data);
    });

    it('400 for an id that is not a UUID', async () => {
        await assertApiError(updateIntegration('not-a-uuid', { name: 'x' }), 400, 'Invalid integration ID');
    });

    it('401 for an unknown key', async () => {
        await assertApiError(updateIntegration(CRM_ID, { name: 'x' }, 'sk-not0a0real0key0000000000'), 401, 'The provided API key is invalid.');
    });

    it('403 for a key without the INTEGRATION_API scope', async () => {
        await assertApiError(
            updateIntegration(CRM_ID, { name: 'x' }, ACME_ASSISTANT_ONLY_KEY),
            403,
            'The provided API key does not have the required scope: INTEGRATION_API'
        );
    });

    it('403 for an integration of another workspace, 404 for one that does not exist', async () => {
        await assertApiError(updateIntegration(CRM_ID, { name: 'hijack' }, GLOBEX_KEY), 403, 'No access to this integration');
        await assertApiError(updateIntegration('00000000-0000-4000-8000-000000000000', { name: 'x' }), 404, 'Integration not found');
        const own = await updateIntegration(GLOBEX_ERP_ID, { name: 'ERP' }, GLOBEX_KEY);
        assert.deepStrictEqual(own.data, { integration: { id: GLOBEX_ERP_ID, name: 'ERP', description: fixtureRecord(GLOBEX_ERP_ID).description } });
        assert.equal((await getIntegration(CRM_ID)).data.integration.name, 'Updated Integration Name');
    });
});

describe('the docs example: createIntegration, then list, auth update and read back', () => {
    let createdId;

    it('answers 201 with exactly { integration: { id, name, description, createdAt } }', async () => {
        const before = Date.now();
        const response = await createIntegration({
            name: 'My Custom Integration',
            description: 'Connects to my internal company API for data retrieval'
        });
        assert.equal(response.status, 201);
        assert.match(response.headers['content-type'], /^application\/json/);
        assert.deepStrictEqual(Object.keys(response.data), ['integration']);
        assert.deepStrictEqual(Object.keys(response.data.integration), ['id', 'name', 'description', 'createdAt']);
        const { id, name, description, createdAt } = response.data.integration;
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(name, 'My Custom Integration');
        assert.equal(description, 'Connects to my internal company API for data retrieval');
        assert.equal(new Date(createdAt).toISOString(), createdAt, 'createdAt as toISOString writes it');
        assert.ok(new Date(createdAt).getTime() >= before - 1000, createdAt);
        createdId = id;
    });

    it('lists the new integration after the workspace\'s own, in the documented item shape', async () => {
        const response = await listIntegrations();
        assert.equal(response.status, 200);
        assert.deepStrictEqual(Object.keys(response.data), ['integrations']);
        const items = response.data.integrations;
        const acmeFixtures = fixtures.records.filter((r) => r.tenant === 'acme');
        assert.deepStrictEqual(items.map((i) => i.id), [...acmeFixtures.map((r) => r.id), createdId]);
        for (const item of items) {
            assert.deepStrictEqual(Object.keys(item), ['id', 'name', 'description', 'authType', 'buildByLangdock', 'actions']);
            for (const action of item.actions) {
                assert.deepStrictEqual(Object.keys(action), ['id', 'name', 'description']);
            }
        }
        assert.deepStrictEqual(items.at(-1), {
            id: createdId,
            name: 'My Custom Integration',
            description: 'Connects to my internal company API for data retrieval',
            authType: 'NONE',
            buildByLangdock: false,
            actions: []
        });
        assert.equal(items.find((i) => i.id === TICKETING_ID).buildByLangdock, true);
    });

    it('a key with only ASSISTANT_API may list, and another workspace does not see it', async () => {
        const response = await listIntegrations(ACME_ASSISTANT_ONLY_KEY);
        assert.ok(response.data.integrations.some((i) => i.id === createdId));
        const globex = await listIntegrations(GLOBEX_KEY, `${baseUrl}/api/public`);
        assert.ok(!globex.data.integrations.some((i) => i.id === createdId));
        assert.deepStrictEqual(
            globex.data.integrations.map((i) => i.id),
            fixtures.records.filter((r) => r.tenant === 'globex').map((r) => r.id)
        );
    });

    it('updates the auth configuration and reads it back with Get Integration', async () => {
        const response = await updateAuth(createdId, {
            authType: 'API_KEY',
            authFields: [{ slug: 'api_key', label: 'API Key', type: 'PASSWORD', required: true }],
            authTestCode: "return ld.request({ url: 'https://api.example.com/me' });"
        });
        assert.equal(response.status, 200);
        const [field] = response.data.integration.authFields;
        assert.match(field.id, /^[0-9a-f-]{36}$/);
        assert.deepStrictEqual(field, {
            id: field.id,
            slug: 'api_key',
            label: 'API Key',
            type: 'PASSWORD',
            description: '',
            placeholder: null,
            required: true
        });
        const read = await getIntegration(createdId);
        assert.deepStrictEqual(read.data, response.data);
        assert.equal(read.data.integration.authType, 'API_KEY');
        const listed = await listIntegrations();
        assert.equal(listed.data.integrations.find((i) => i.id === createdId).authType, 'API_KEY');
    });

    it('keeps an OAuth client secret write-only', async () => {
        const secret = 'sdk-suite-client-secret-0001';
        const response = await updateAuth(createdId, {
            authType: 'OAUTH',
            oauthClient: { clientId: 'sdk-client', clientSecret: secret }
        }, ACME_KEY, `${baseUrl}/api/public`);
        assert.deepStrictEqual(response.data.integration.oauthClient, { clientId: 'sdk-client' });
        assert.ok(!JSON.stringify((await getIntegration(createdId)).data).includes(secret));
    });

    it('a created integration is updated like any other', async () => {
        const response = await updateIntegration(createdId, { name: 'Renamed' });
        assert.deepStrictEqual(response.data, {
            integration: { id: createdId, name: 'Renamed', description: 'Connects to my internal company API for data retrieval' }
        });
    });

    it('refuses bad input with Langdock\'s status and { message }', async () => {
        await assertApiError(createIntegration({ description: 'no name' }), 400, 'Invalid request body: name is required');
        await assertApiError(
            createIntegration({ name: 'x'.repeat(41), description: 'x'.repeat(91) }),
            400,
            'Invalid request body: name must be at most 40 characters; description must be at most 90 characters'
        );
        await assertApiError(createIntegration({ name: 'x' }, ACME_ASSISTANT_ONLY_KEY), 403,
            'The provided API key does not have the required scope: INTEGRATION_API');
        await assertApiError(updateAuth(createdId, { authType: 'BASIC' }), 400,
            'Invalid request body: authType must be one of NONE, API_KEY, SERVICE_ACCOUNT, OAUTH, OAUTH_DCR');
        await assertApiError(updateAuth(createdId, { authType: 'NONE' }, GLOBEX_KEY), 403, 'No access to this integration');
        await assertApiError(listIntegrations('sk-not0a0real0key0000000000'), 401, 'The provided API key is invalid.');
    });

    it('has no delete: DELETE is Langdock\'s 404', async () => {
        await assertApiError(
            axios.delete(`${baseUrl}/integrations/v1/${createdId}`, { headers: { Authorization: `Bearer ${ACME_KEY}` } }),
            404,
            `No route DELETE /integrations/v1/${createdId}`
        );
        assert.equal((await getIntegration(createdId)).status, 200);
    });
});

describe('the docs example: delete an action', () => {
    it('answers 200 { message: "Action deleted", id } and Get Integration no longer shows it', async () => {
        const [action, ...others] = fixtureRecord(CRM_ID).actions;
        const response = await axios.delete(`${baseUrl}/integrations/v1/${CRM_ID}/actions/${action.id}`, {
            headers: { Authorization: `Bearer ${ACME_KEY}` }
        });
        assert.equal(response.status, 200);
        assert.deepStrictEqual(response.data, { message: 'Action deleted', id: action.id });
        assert.deepStrictEqual((await getIntegration(CRM_ID)).data.integration.actions, others);
        await assertApiError(
            axios.delete(`${baseUrl}/integrations/v1/${CRM_ID}/actions/${action.id}`, { headers: { Authorization: `Bearer ${ACME_KEY}` } }),
            404,
            'Integration or action not found'
        );
    });
});

describe('the log', () => {
    it('never carries an API key or an OAuth client secret, even at debug level', async () => {
        await stopPatchbay();
        assert.match(serverLog, /request served/, 'debug logging was on');
        const secrets = [
            ACME_KEY,
            ACME_ASSISTANT_ONLY_KEY,
            GLOBEX_KEY,
            fixtureRecord(TICKETING_ID).oauthClient.clientSecret,
            'sdk-suite-client-secret-0001'
        ];
        for (const secret of secrets) {
            assert.ok(!serverLog.includes(secret), `${secret} leaked into the log`);
        }
    });
});
