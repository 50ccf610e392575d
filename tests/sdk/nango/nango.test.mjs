// The official `@nangohq/node` SDK (pinned in package.json) driven against a real patchbay server.
//
// The `before` hook starts the patchbay binary on port 0 with a fresh database and the demo fixtures;
// every test then goes through the SDK exactly as an application would. Expected bodies follow the
// Nango behaviour notes (PATCH /integrations/{uniqueKey}, its GET read-back and the SDK's error surface).
//
// The server comes from patchbay-client (clients/node, a file: dependency): PATCHBAY_BIN (set by
// tests/sdk/run.sh), else `patchbay` on PATH; open keys stay off, as the suite expects unknown keys refused.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Nango } from '@nangohq/node';

import { startPatchbay } from 'patchbay-client';

const fixturesDir = fileURLToPath(new URL('../../../fixtures/', import.meta.url));


// Demo keys from fixtures/nango.json.
const DEV_FULL_KEY = '6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f';
const DEV_READ_ONLY_KEY = '0b7e2a51-9c3d-4e8f-a1b2-c3d4e5f60718';
const PROD_UPDATE_READ_KEY = 'c2d3e4f5-a6b7-4c8d-9e0f-112233445566';
const DEV_LIST_ONLY_KEY = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';

const fixtures = JSON.parse(readFileSync(path.join(fixturesDir, 'nango.json'), 'utf8'));

/** The fixture record of `uniqueKey` in `tenant`, as loaded into the fresh database. */
function fixtureRecord(tenant, uniqueKey) {
    const record = fixtures.records.find((r) => r.tenant === tenant && r.unique_key === uniqueKey);
    assert.ok(record, `fixtures/nango.json has no record ${tenant}/${uniqueKey}`);
    return record;
}

// `Date.prototype.toISOString()` output: milliseconds and a `Z`.
const ISO_MILLIS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// Key order of `integrationToPublicApi` for a record without credentials_label or preconfigured_credentials.
const PUBLIC_KEYS = ['unique_key', 'provider', 'display_name', 'logo', 'forward_webhooks', 'created_at', 'updated_at'];
// The same formatter spreads `include` (here: credentials) between `logo` and `forward_webhooks`.
const PUBLIC_KEYS_WITH_CREDENTIALS = ['unique_key', 'provider', 'display_name', 'logo', 'credentials', 'forward_webhooks', 'created_at', 'updated_at'];

let patchbay;
let baseUrl;

async function stopPatchbay() {
    await patchbay.stop();
}

before(async () => {
    patchbay = await startPatchbay({ suite: 'nango', openKeys: false });
    baseUrl = patchbay.baseUrl;
});

after(async () => {
    await stopPatchbay();
});

function nango(apiKey) {
    return new Nango({ apiKey, host: baseUrl });
}

function logoOf(provider) {
    return `${baseUrl}/images/template-logos/${provider}.svg`;
}

/**
 * Checks `created_at`/`updated_at` of a public integration and returns a copy without `updated_at`,
 * the one volatile field, so that the rest can be compared whole.
 */
function withoutUpdatedAt(data) {
    assert.match(data.created_at, ISO_MILLIS_Z);
    assert.match(data.updated_at, ISO_MILLIS_Z);
    const { updated_at: _updatedAt, ...rest } = data;
    return rest;
}

/** Awaits a rejected SDK call and checks that it is a plain AxiosError carrying our status and body. */
async function assertApiError(promise, status, body) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.isAxiosError, true, `expected an AxiosError, got ${err}`);
        assert.equal(err.name, 'AxiosError');
        assert.ok(err.response, `no response on the AxiosError: ${err.message}`);
        assert.equal(err.response.status, status, `status; body was ${JSON.stringify(err.response.data)}`);
        assert.deepStrictEqual(err.response.data, body);
        return true;
    });
}

describe('updateIntegration and getIntegration on dev/github', () => {
    const created = fixtureRecord('dev', 'github').created_at;
    let displayUpdate;

    it('updates display_name and forward_webhooks and returns the public integration', async () => {
        const startedAt = Date.now();
        const response = await nango(DEV_FULL_KEY).updateIntegration(
            { uniqueKey: 'github' },
            { display_name: 'GitHub via SDK', forward_webhooks: false }
        );

        assert.deepStrictEqual(Object.keys(response), ['data']);
        assert.deepStrictEqual(Object.keys(response.data), PUBLIC_KEYS);
        assert.deepStrictEqual(withoutUpdatedAt(response.data), {
            unique_key: 'github',
            provider: 'github',
            display_name: 'GitHub via SDK',
            logo: logoOf('github'),
            forward_webhooks: false,
            created_at: created
        });
        // `updated_at = now()` on every update; the server runs on this machine, so allow a little skew.
        const updatedAt = Date.parse(response.data.updated_at);
        assert.ok(updatedAt > Date.parse(response.data.created_at), 'updated_at is later than created_at');
        assert.ok(updatedAt >= startedAt - 2_000 && updatedAt <= Date.now() + 2_000, `updated_at ${response.data.updated_at} is now`);
        // PATCH never returns credentials.
        const fixture = fixtureRecord('dev', 'github');
        const raw = JSON.stringify(response);
        assert.ok(!raw.includes(fixture.credentials.client_secret), 'no client_secret in the PATCH response');
        assert.ok(!raw.includes(fixture.credentials.client_id), 'no client_id in the PATCH response');
        displayUpdate = response.data;
    });

    it('reads the change back with credentials for the full-access key', async () => {
        assert.ok(displayUpdate, 'depends on the previous test');
        // The SDK turns `include: ['credentials']` into the query string `?include=credentials`.
        const response = await nango(DEV_FULL_KEY).getIntegration({ uniqueKey: 'github' }, { include: ['credentials'] });
        const fixture = fixtureRecord('dev', 'github');

        assert.deepStrictEqual(Object.keys(response.data), PUBLIC_KEYS_WITH_CREDENTIALS);
        assert.deepStrictEqual(response, {
            data: {
                unique_key: 'github',
                provider: 'github',
                display_name: 'GitHub via SDK',
                logo: logoOf('github'),
                credentials: {
                    type: 'OAUTH2',
                    client_id: fixture.credentials.client_id,
                    client_secret: fixture.credentials.client_secret,
                    scopes: fixture.credentials.scopes,
                    webhook_secret: null
                },
                forward_webhooks: false,
                created_at: created,
                updated_at: displayUpdate.updated_at
            }
        });
    });

    it('replaces the OAuth credentials and reads them back', async () => {
        const client = nango(DEV_FULL_KEY);
        const response = await client.updateIntegration(
            { uniqueKey: 'github' },
            { credentials: { type: 'OAUTH2', client_id: 'new-id', client_secret: 'new-secret', scopes: 'repo' } }
        );

        assert.deepStrictEqual(Object.keys(response.data), PUBLIC_KEYS);
        assert.deepStrictEqual(withoutUpdatedAt(response.data), {
            unique_key: 'github',
            provider: 'github',
            display_name: 'GitHub via SDK',
            logo: logoOf('github'),
            forward_webhooks: false,
            created_at: created
        });
        assert.ok(Date.parse(response.data.updated_at) >= Date.parse(displayUpdate.updated_at), 'updated_at moves forward');
        assert.ok(!JSON.stringify(response).includes('new-secret'), 'no client_secret in the PATCH response');

        const readBack = await client.getIntegration({ uniqueKey: 'github' }, { include: ['credentials'] });
        assert.deepStrictEqual(readBack, {
            data: {
                unique_key: 'github',
                provider: 'github',
                display_name: 'GitHub via SDK',
                logo: logoOf('github'),
                // `webhook_secret` was not sent, so it keeps its old value (null).
                credentials: { type: 'OAUTH2', client_id: 'new-id', client_secret: 'new-secret', scopes: 'repo', webhook_secret: null },
                forward_webhooks: false,
                created_at: created,
                updated_at: response.data.updated_at
            }
        });
    });

    it('serves the logo it points to', async () => {
        const response = await fetch(logoOf('github'));
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
        assert.match(await response.text(), /<svg[\s>]/);
    });
});

describe('renaming through unique_key', () => {
    it('renames dev/slack-prod and serves it only under the new key', async () => {
        const client = nango(DEV_FULL_KEY);
        const fixture = fixtureRecord('dev', 'slack-prod');
        const response = await client.updateIntegration({ uniqueKey: 'slack-prod' }, { unique_key: 'slack-renamed' });

        assert.deepStrictEqual(Object.keys(response.data), PUBLIC_KEYS);
        const expected = {
            unique_key: 'slack-renamed',
            provider: 'slack',
            display_name: fixture.display_name,
            logo: logoOf('slack'),
            forward_webhooks: false,
            created_at: fixture.created_at
        };
        assert.deepStrictEqual(withoutUpdatedAt(response.data), expected);
        assert.ok(Date.parse(response.data.updated_at) > Date.parse(fixture.updated_at), 'updated_at is bumped');

        const readBack = await client.getIntegration({ uniqueKey: 'slack-renamed' });
        assert.deepStrictEqual(readBack, { data: { ...expected, updated_at: response.data.updated_at } });

        const gone = { error: { code: 'not_found', message: 'Integration "slack-prod" does not exist' } };
        await assertApiError(client.getIntegration({ uniqueKey: 'slack-prod' }), 404, gone);
        await assertApiError(client.updateIntegration({ uniqueKey: 'slack-prod' }, { display_name: 'x' }), 404, gone);
    });
});

describe('errors surface as AxiosError with the Nango status and body', () => {
    it('400 invalid_body for an empty display_name, leaving the record untouched', async () => {
        const client = nango(DEV_FULL_KEY);
        const snapshot = await client.getIntegration({ uniqueKey: 'github' }, { include: ['credentials'] });
        await assertApiError(client.updateIntegration({ uniqueKey: 'github' }, { display_name: '' }), 400, {
            error: {
                code: 'invalid_body',
                errors: [{ code: 'too_small', message: 'Too small: expected string to have >=1 characters', path: ['display_name'] }]
            }
        });
        // A refused update neither writes nor bumps updated_at.
        assert.deepStrictEqual(await client.getIntegration({ uniqueKey: 'github' }, { include: ['credentials'] }), snapshot);
    });

    it('400 invalid_body for an unknown top-level key', async () => {
        await assertApiError(nango(DEV_FULL_KEY).updateIntegration({ uniqueKey: 'github' }, { foo: 1 }), 400, {
            error: {
                code: 'invalid_body',
                errors: [{ code: 'unrecognized_keys', message: 'Unrecognized key: "foo"', path: [] }]
            }
        });
    });

    it('401 unknown_account for a well-formed key that matches no account', async () => {
        const unknownKey = randomUUID();
        await assertApiError(nango(unknownKey).updateIntegration({ uniqueKey: 'github' }, { display_name: 'x' }), 401, {
            error: {
                message: 'Authentication failed. The provided authorization header does not match any account.',
                code: 'unknown_account',
                payload: {}
            }
        });
    });

    it('401 invalid_secret_key_format for a key that is not a UUID v4', async () => {
        await assertApiError(nango('not-a-uuid').updateIntegration({ uniqueKey: 'github' }, { display_name: 'x' }), 401, {
            error: {
                message: 'Authentication failed. The provided secret key is not a UUID v4.',
                code: 'invalid_secret_key_format',
                payload: {}
            }
        });
    });

    it('403 forbidden for a key with read scope only', async () => {
        await assertApiError(nango(DEV_READ_ONLY_KEY).updateIntegration({ uniqueKey: 'github' }, { display_name: 'x' }), 403, {
            error: { code: 'forbidden', message: 'Insufficient scope. Required: environment:integrations:update' }
        });
    });

    it('404 not_found for an unknown integration', async () => {
        await assertApiError(nango(DEV_FULL_KEY).updateIntegration({ uniqueKey: 'does-not-exist' }, { display_name: 'x' }), 404, {
            error: { code: 'not_found', message: 'Integration "does-not-exist" does not exist' }
        });
    });

    it('400 invalid_body for OAUTH2 credentials on an API_KEY provider (stripe)', async () => {
        await assertApiError(
            nango(DEV_FULL_KEY).updateIntegration(
                { uniqueKey: 'stripe' },
                { credentials: { type: 'OAUTH2', client_id: 'stripe-id', client_secret: 'stripe-secret' } }
            ),
            400,
            { error: { code: 'invalid_body', message: 'incompatible credentials auth type and provider auth' } }
        );
    });

    it('400 invalid_body when renaming an integration with active connections (linear)', async () => {
        const client = nango(DEV_FULL_KEY);
        await assertApiError(client.updateIntegration({ uniqueKey: 'linear' }, { unique_key: 'linear-renamed' }), 400, {
            error: { code: 'invalid_body', message: "Can't rename an integration with active connections" }
        });
        await assertApiError(client.getIntegration({ uniqueKey: 'linear-renamed' }), 404, {
            error: { code: 'not_found', message: 'Integration "linear-renamed" does not exist' }
        });
    });

    it('400 invalid_body when renaming onto a key another integration uses', async () => {
        // The duplicate check runs before the active-connections check, so linear gets this message too.
        await assertApiError(nango(DEV_FULL_KEY).updateIntegration({ uniqueKey: 'linear' }, { unique_key: 'github' }), 400, {
            error: { code: 'invalid_body', message: 'uniqueKey is already used by another integration' }
        });
    });

    it('400 invalid_body for custom on a provider that declares integration_config (aws-sigv4)', async () => {
        await assertApiError(nango(DEV_FULL_KEY).updateIntegration({ uniqueKey: 'aws' }, { custom: { region: 'eu-west-1' } }), 400, {
            error: { code: 'invalid_body', message: 'This provider uses integration_config; set its values there instead of custom' }
        });
    });

    it('400 invalid_body for an integration_config field the provider does not declare', async () => {
        await assertApiError(
            nango(DEV_FULL_KEY).updateIntegration({ uniqueKey: 'aws' }, { integration_config: { not_a_field: 'x' } }),
            400,
            { error: { code: 'invalid_body', message: 'Unknown field not_a_field' } }
        );
    });
});

describe('tenant isolation', () => {
    it("the prod key updates prod's github and leaves dev's github as it was", async () => {
        const dev = nango(DEV_FULL_KEY);
        const prod = nango(PROD_UPDATE_READ_KEY);
        const prodFixture = fixtureRecord('prod', 'github');
        const devBefore = await dev.getIntegration({ uniqueKey: 'github' }, { include: ['credentials'] });

        const response = await prod.updateIntegration({ uniqueKey: 'github' }, { display_name: 'GitHub (prod) via SDK' });
        assert.deepStrictEqual(Object.keys(response.data), PUBLIC_KEYS);
        const expected = {
            unique_key: 'github',
            provider: 'github',
            display_name: 'GitHub (prod) via SDK',
            logo: logoOf('github'),
            forward_webhooks: prodFixture.forward_webhooks,
            created_at: prodFixture.created_at
        };
        assert.deepStrictEqual(withoutUpdatedAt(response.data), expected);

        assert.deepStrictEqual(await prod.getIntegration({ uniqueKey: 'github' }), { data: { ...expected, updated_at: response.data.updated_at } });
        assert.deepStrictEqual(await dev.getIntegration({ uniqueKey: 'github' }, { include: ['credentials'] }), devBefore);
    });

    it("the prod key cannot see dev's integrations", async () => {
        await assertApiError(nango(PROD_UPDATE_READ_KEY).updateIntegration({ uniqueKey: 'stripe' }, { display_name: 'x' }), 404, {
            error: { code: 'not_found', message: 'Integration "stripe" does not exist' }
        });
    });
});

describe('include=credentials without the read_credentials scope', () => {
    it('is silently omitted for the prod key (update + read)', async () => {
        const prod = nango(PROD_UPDATE_READ_KEY);
        const withInclude = await prod.getIntegration({ uniqueKey: 'github' }, { include: ['credentials'] });
        const withoutInclude = await prod.getIntegration({ uniqueKey: 'github' });

        assert.deepStrictEqual(Object.keys(withInclude.data), PUBLIC_KEYS);
        assert.deepStrictEqual(withInclude, withoutInclude);
        assert.equal(withInclude.data.unique_key, 'github');
        assert.equal(withInclude.data.created_at, fixtureRecord('prod', 'github').created_at);
        assert.ok(!JSON.stringify(withInclude).includes(fixtureRecord('prod', 'github').credentials.client_secret));
    });

    it('is silently omitted for the dev read-only key', async () => {
        const readOnly = nango(DEV_READ_ONLY_KEY);
        const withInclude = await readOnly.getIntegration({ uniqueKey: 'github' }, { include: ['credentials'] });

        assert.deepStrictEqual(Object.keys(withInclude.data), PUBLIC_KEYS);
        assert.deepStrictEqual(withInclude, await readOnly.getIntegration({ uniqueKey: 'github' }));
        assert.ok(!JSON.stringify(withInclude).includes('new-secret'));
    });
});

describe('createIntegration', () => {
    it('creates an integration and returns {data} in the public shape', async () => {
        const startedAt = Date.now();
        // Nango's own test: `{provider:'algolia', unique_key:'foobar'}`.
        const response = await nango(DEV_FULL_KEY).createIntegration({ provider: 'algolia', unique_key: 'foobar' });

        assert.deepStrictEqual(Object.keys(response), ['data']);
        assert.deepStrictEqual(Object.keys(response.data), PUBLIC_KEYS);
        assert.deepStrictEqual(withoutUpdatedAt(response.data), {
            unique_key: 'foobar',
            provider: 'algolia',
            display_name: 'Algolia',
            logo: logoOf('algolia'),
            forward_webhooks: true,
            created_at: response.data.created_at
        });
        assert.equal(response.data.updated_at, response.data.created_at, 'one timestamp at creation');
        const createdAt = Date.parse(response.data.created_at);
        assert.ok(createdAt >= startedAt - 2_000 && createdAt <= Date.now() + 2_000, `created_at ${response.data.created_at} is now`);
        assert.deepStrictEqual(await nango(DEV_FULL_KEY).getIntegration({ uniqueKey: 'foobar' }), response);
    });

    it('stores OAuth credentials without echoing them, with the default scopes where none are sent', async () => {
        const client = nango(DEV_FULL_KEY);
        const response = await client.createIntegration({
            provider: 'salesforce',
            unique_key: 'salesforce-sdk',
            display_name: 'Salesforce via SDK',
            forward_webhooks: false,
            credentials: { type: 'OAUTH2', client_id: 'sf-id', client_secret: 'sf-secret-via-sdk', webhook_secret: 'sf-hook' }
        });
        assert.ok(!JSON.stringify(response).includes('sf-secret-via-sdk'), 'no client_secret in the create response');
        assert.equal(response.data.display_name, 'Salesforce via SDK');
        assert.equal(response.data.forward_webhooks, false);

        const readBack = await client.getIntegration({ uniqueKey: 'salesforce-sdk' }, { include: ['credentials'] });
        assert.deepStrictEqual(readBack.data.credentials, {
            type: 'OAUTH2',
            client_id: 'sf-id',
            client_secret: 'sf-secret-via-sdk',
            scopes: 'offline_access',
            webhook_secret: 'sf-hook'
        });
    });

    it('400 invalid_body with zod issues for a bad body', async () => {
        await assertApiError(nango(DEV_FULL_KEY).createIntegration({ provider: 'git hub', unique_key: '', extra: true }), 400, {
            error: {
                code: 'invalid_body',
                errors: [
                    { code: 'invalid_format', message: 'Invalid string: must match pattern /^[a-zA-Z0-9_-]+$/', path: ['provider'] },
                    { code: 'invalid_format', message: 'Invalid string: must match pattern /^[a-zA-Z0-9~:.@ _-]+$/', path: ['unique_key'] },
                    { code: 'unrecognized_keys', message: 'Unrecognized key: "extra"', path: [] }
                ]
            }
        });
    });

    it('400 for an unknown provider, missing credentials and incompatible credentials', async () => {
        const client = nango(DEV_FULL_KEY);
        await assertApiError(client.createIntegration({ provider: 'invalid', unique_key: 'x' }), 400, {
            error: { code: 'invalid_body', errors: [{ code: 'invalid_string', message: 'Invalid provider', path: ['provider'] }] }
        });
        await assertApiError(client.createIntegration({ provider: 'github', unique_key: 'x' }), 400, {
            error: { code: 'invalid_body', message: 'Missing credentials' }
        });
        await assertApiError(
            client.createIntegration({ provider: 'stripe', unique_key: 'x', credentials: { type: 'OAUTH2', client_id: 'i', client_secret: 's' } }),
            400,
            { error: { code: 'invalid_body', message: 'incompatible credentials auth type and provider auth' } }
        );
    });

    it('400 for a unique key the environment already has (camelCase path, as Nango writes it)', async () => {
        await assertApiError(nango(DEV_FULL_KEY).createIntegration({ provider: 'algolia', unique_key: 'foobar' }), 400, {
            error: { code: 'invalid_body', errors: [{ code: 'invalid_string', message: 'Unique key already exists', path: ['uniqueKey'] }] }
        });
    });

    it('403 forbidden for a key that can list but not create', async () => {
        await assertApiError(nango(DEV_LIST_ONLY_KEY).createIntegration({ provider: 'algolia', unique_key: 'nope' }), 403, {
            error: { code: 'forbidden', message: 'Insufficient scope. Required: environment:integrations:create' }
        });
    });

    it('createQuickstartIntegration finds no Nango-provided developer app', async () => {
        await assertApiError(nango(DEV_FULL_KEY).createQuickstartIntegration({ provider: 'slack', unique_key: 'slack-quick' }), 400, {
            error: { code: 'invalid_body', message: 'No Nango-provided developer app is configured for this provider' }
        });
    });
});

describe('listIntegrations', () => {
    it('returns {configs}: the environment\'s integrations by provider, then by creation', async () => {
        const response = await nango(PROD_UPDATE_READ_KEY).listIntegrations();

        assert.deepStrictEqual(Object.keys(response), ['configs']);
        assert.ok(Array.isArray(response.configs));
        const prod = fixtures.records.filter((r) => r.tenant === 'prod');
        const expected = [...prod]
            .sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : Date.parse(a.created_at) - Date.parse(b.created_at)))
            .map((r) => r.unique_key);
        assert.deepStrictEqual(
            response.configs.map((c) => c.unique_key),
            expected
        );
        for (const config of response.configs) {
            // `credentials_label` follows `logo` where an integration_config sets a key label.
            const label = fixtureRecord('prod', config.unique_key).custom.keyLabel;
            const keys = label ? [...PUBLIC_KEYS.slice(0, 4), 'credentials_label', ...PUBLIC_KEYS.slice(4)] : PUBLIC_KEYS;
            assert.deepStrictEqual(Object.keys(config), keys);
            if (label) {
                assert.deepStrictEqual(config.credentials_label, { apiKey: label });
            }
        }
        const hubspot = fixtureRecord('prod', 'hubspot');
        assert.deepStrictEqual(
            response.configs.find((c) => c.unique_key === 'hubspot'),
            {
                unique_key: 'hubspot',
                provider: 'hubspot',
                display_name: hubspot.display_name,
                logo: logoOf('hubspot'),
                forward_webhooks: true,
                created_at: hubspot.created_at,
                updated_at: hubspot.updated_at
            }
        );
        assert.ok(!JSON.stringify(response).includes('secret'), 'never credentials');
    });

    it('lists only the key\'s own environment', async () => {
        const dev = (await nango(DEV_LIST_ONLY_KEY).listIntegrations()).configs.map((c) => c.unique_key);
        assert.ok(dev.includes('foobar'), 'what dev created');
        assert.ok(!dev.includes('hubspot'), "prod's hubspot");
    });

    it('403 forbidden for a key with read scope only (read does not grant list)', async () => {
        await assertApiError(nango(DEV_READ_ONLY_KEY).listIntegrations(), 403, {
            error: {
                code: 'forbidden',
                message: 'Insufficient scope. Required one of: environment:integrations:list or environment:integrations:list_credentials'
            }
        });
    });
});

describe('deleteIntegration', () => {
    it('returns the whole response: status 200 and {success: true}', async () => {
        const response = await nango(DEV_FULL_KEY).deleteIntegration('foobar');
        assert.equal(response.status, 200);
        assert.deepStrictEqual(response.data, { success: true });
        assert.match(response.headers['content-type'], /^application\/json/);
    });

    it('404 without the key in the message once it is gone, and 404 from get and update', async () => {
        const client = nango(DEV_FULL_KEY);
        await assertApiError(client.deleteIntegration('foobar'), 404, { error: { code: 'not_found', message: 'Integration does not exist' } });
        const gone = { error: { code: 'not_found', message: 'Integration "foobar" does not exist' } };
        await assertApiError(client.getIntegration({ uniqueKey: 'foobar' }), 404, gone);
        await assertApiError(client.updateIntegration({ uniqueKey: 'foobar' }, { display_name: 'x' }), 404, gone);
    });

    it('403 forbidden for a key without the delete scope, deleting nothing', async () => {
        await assertApiError(nango(DEV_LIST_ONLY_KEY).deleteIntegration('stripe'), 403, {
            error: { code: 'forbidden', message: 'Insufficient scope. Required: environment:integrations:delete' }
        });
        assert.equal((await nango(DEV_FULL_KEY).getIntegration({ uniqueKey: 'stripe' })).data.unique_key, 'stripe');
    });
});

describe('create, update, delete and create again', () => {
    it('carries one unique key through its whole lifecycle', async () => {
        const client = nango(PROD_UPDATE_READ_KEY);
        const uniqueKey = `lifecycle-${randomUUID().slice(0, 8)}`;
        const credentials = { type: 'OAUTH2', client_id: 'first-id', client_secret: 'first-secret', scopes: 'chat:write' };

        const created = await client.createIntegration({ provider: 'slack', unique_key: uniqueKey, credentials });
        assert.equal(created.data.display_name, 'Slack');
        assert.ok((await client.listIntegrations()).configs.some((c) => c.unique_key === uniqueKey));

        const updated = await client.updateIntegration({ uniqueKey }, { display_name: 'Slack (lifecycle)' });
        assert.equal(updated.data.display_name, 'Slack (lifecycle)');
        assert.equal(updated.data.created_at, created.data.created_at);
        assert.ok(Date.parse(updated.data.updated_at) > Date.parse(created.data.updated_at), 'updated_at moves forward');
        assert.deepStrictEqual(await client.getIntegration({ uniqueKey }), updated);

        const deleted = await client.deleteIntegration(uniqueKey);
        assert.deepStrictEqual([deleted.status, deleted.data], [200, { success: true }]);
        assert.ok(!(await client.listIntegrations()).configs.some((c) => c.unique_key === uniqueKey));
        await assertApiError(client.getIntegration({ uniqueKey }), 404, {
            error: { code: 'not_found', message: `Integration "${uniqueKey}" does not exist` }
        });

        // The key is free again: a new integration, with nothing of the old one.
        const again = await client.createIntegration({
            provider: 'slack',
            unique_key: uniqueKey,
            credentials: { type: 'OAUTH2', client_id: 'second-id', client_secret: 'second-secret' }
        });
        assert.equal(again.data.display_name, 'Slack');
        assert.ok(Date.parse(again.data.created_at) >= Date.parse(created.data.created_at));
        // Without read_credentials the prod key reads no credentials; the full dev key cannot see prod.
        assert.ok(!('credentials' in (await client.getIntegration({ uniqueKey }, { include: ['credentials'] })).data));
        await assertApiError(nango(DEV_FULL_KEY).getIntegration({ uniqueKey }), 404, {
            error: { code: 'not_found', message: `Integration "${uniqueKey}" does not exist` }
        });
        await client.deleteIntegration(uniqueKey);
    });
});
