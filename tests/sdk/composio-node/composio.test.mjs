// The official TypeScript `@composio/client` driven against a real patchbay server, twice: its newest
// 0.1.0-alpha (the Stainless build) and the registry's `latest` (2.0.0-rc.6, generated from the v3.1
// OpenAPI); both call /api/v3.1 and are pinned in package.json. Each runs the whole auth-config
// lifecycle: create, retrieve, list with `limit` through every page with `next_cursor`, update,
// disable and enable, delete, and retrieve after delete (a typed NotFoundError carrying Composio's
// envelope and request id).
//
// The server comes from patchbay-client (clients/node, a file: dependency): PATCHBAY_BIN (set by
// tests/sdk/run.sh), else `patchbay` on PATH; open keys stay off, as the suite expects unknown keys refused.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import * as alpha from 'composio-client-alpha';
import * as latest from 'composio-client-latest';

import { startPatchbay } from 'patchbay-client';

// Demo keys from fixtures/composio.json.
const DEMO_PROJECT_KEY = 'ak_demo0Project0FullKey01';
const STAGING_PROJECT_KEY = 'ak_staging0Project0Key01';
const AUTH_CONFIG_ID = /^ac_[A-Za-z0-9_-]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let patchbay;

before(async () => {
    patchbay = await startPatchbay({ suite: 'composio-node', openKeys: false });
});

after(async () => {
    await patchbay.stop();
});

/** A header of an SDK error, whether the client keeps a Headers object or a plain record. */
function header(headers, name) {
    return typeof headers?.get === 'function' ? headers.get(name) : headers?.[name];
}

/** Asserts an SDK error is the typed class for its status and carries Composio's envelope. */
function assertEnvelope(sdk, error, { type, status, code, slug, message }) {
    assert.ok(error instanceof sdk[type], `${type}: ${error}`);
    assert.equal(error.status, status);
    const body = error.error;
    assert.deepEqual(Object.keys(body), ['error']);
    assert.equal(body.error.code, code);
    assert.equal(body.error.slug, slug);
    assert.equal(body.error.status, status);
    if (message !== undefined) {
        assert.equal(body.error.message, message);
    }
    assert.match(body.error.request_id, UUID_V4);
    assert.equal(header(error.headers, 'x-request-id'), body.error.request_id);
    return body;
}

for (const [label, sdk] of [['0.1.0-alpha.76', alpha], ['latest (2.0.0-rc.6)', latest]]) {
    describe(`@composio/client ${label}`, () => {
        const client = (apiKey = DEMO_PROJECT_KEY) =>
            new sdk.Composio({ apiKey, baseURL: patchbay.baseUrl, maxRetries: 0 });
        const tag = () => `${label} ${randomUUID().slice(0, 8)}`;

        it('runs the whole lifecycle of a custom config', async () => {
            const composio = client();
            const name = tag();
            const created = await composio.authConfigs.create({
                toolkit: { slug: 'github' },
                auth_config: {
                    type: 'use_custom_auth',
                    authScheme: 'OAUTH2',
                    name,
                    credentials: { client_id: 'ts-client', client_secret: 'ts-client-secret-0042' },
                },
            });
            const nanoid = created.auth_config.id;
            assert.match(nanoid, AUTH_CONFIG_ID);
            assert.deepEqual(created, {
                toolkit: { slug: 'github' },
                auth_config: { id: nanoid, auth_scheme: 'OAUTH2', is_composio_managed: false, restrict_to_following_tools: [] },
            });

            let config = await composio.authConfigs.retrieve(nanoid);
            assert.equal(config.id, nanoid);
            assert.equal(config.name, name);
            assert.equal(config.type, 'custom');
            assert.equal(config.status, 'ENABLED');
            assert.deepEqual(config.credentials, { client_id: 'ts-client', client_secret: '****0042' });
            assert.equal('deprecated_params' in config, false);

            const updated = await composio.authConfigs.update(nanoid, {
                type: 'custom',
                name: `${name} renamed`,
                tool_access_config: { tools_available_for_execution: ['GITHUB_STAR_A_REPOSITORY'] },
            });
            assert.deepEqual(updated, { success: true, message: 'Auth config updated successfully' });
            config = await composio.authConfigs.retrieve(nanoid);
            assert.equal(config.name, `${name} renamed`);
            assert.deepEqual(config.restrict_to_following_tools, ['GITHUB_STAR_A_REPOSITORY']);
            assert.equal(config.credentials.client_id, 'ts-client');

            const disabled = await composio.authConfigs.updateStatus('DISABLED', { nanoid });
            assert.deepEqual(disabled, { success: true, message: 'Auth config disabled successfully' });
            assert.equal((await composio.authConfigs.retrieve(nanoid)).status, 'DISABLED');
            assert.deepEqual((await composio.authConfigs.list({ search: name })).items, []);
            const shown = await composio.authConfigs.list({ search: name, show_disabled: true });
            assert.deepEqual(shown.items.map((item) => item.id), [nanoid]);
            const enabled = await composio.authConfigs.updateStatus('ENABLED', { nanoid });
            assert.deepEqual(enabled, { success: true, message: 'Auth config enabled successfully' });
            assert.equal((await composio.authConfigs.retrieve(nanoid)).status, 'ENABLED');

            const deleted = await composio.authConfigs.delete(nanoid);
            assert.deepEqual(deleted, { success: true, message: 'Auth config deleted successfully' });
            const error = await composio.authConfigs.retrieve(nanoid).then(
                () => assert.fail('a deleted config was retrieved'),
                (error) => error,
            );
            assertEnvelope(sdk, error, {
                type: 'NotFoundError', status: 404, code: 302, slug: 'Auth_Config_NotFound', message: 'Auth config not found',
            });
            await assert.rejects(composio.authConfigs.delete(nanoid), sdk.NotFoundError);
        });

        it('lists with limit through every page with next_cursor', async () => {
            const composio = client();
            const name = tag();
            const ids = [];
            for (let index = 0; index < 5; index += 1) {
                const created = await composio.authConfigs.create({
                    toolkit: { slug: 'asana' },
                    auth_config: { type: 'use_composio_managed_auth', name: `${name} ${index}` },
                });
                ids.push(created.auth_config.id);
            }
            const seen = [];
            const pages = [];
            let cursor;
            do {
                const page = await composio.authConfigs.list(cursor ? { search: name, limit: 2, cursor } : { search: name, limit: 2 });
                assert.deepEqual(Object.keys(page), ['items', 'next_cursor', 'total_pages', 'current_page', 'total_items']);
                pages.push([page.current_page, page.total_pages, page.total_items, page.items.length]);
                seen.push(...page.items.map((item) => item.id));
                cursor = page.next_cursor ?? undefined;
            } while (cursor);
            // Newest first, each config once, three pages of two.
            assert.deepEqual(seen, [...ids].reverse());
            assert.deepEqual(pages, [[1, 3, 5, 2], [2, 3, 5, 2], [3, 3, 5, 1]]);
            const filtered = await composio.authConfigs.list({ search: name, toolkit_slug: 'asana,slack', is_composio_managed: true });
            assert.equal(filtered.total_items, 5);
            const other = await client(STAGING_PROJECT_KEY).authConfigs.list({ search: name });
            assert.deepEqual(other.items, []);
        });

        it('names a revoke job when a delete asks for one', async () => {
            const composio = client();
            const created = await composio.authConfigs.create({ toolkit: { slug: 'notion' } });
            const deleted = await composio.authConfigs.delete(created.auth_config.id, { revoke_on_delete: true });
            assert.equal(deleted.success, true);
            assert.match(deleted.revoke_job_id, /^pj_[A-Za-z0-9_-]{12}$/);
        });

        it('raises typed errors carrying the envelope for refused requests', async () => {
            const composio = client();
            const refusal = (promise) => promise.then(() => assert.fail('not refused'), (error) => error);
            assertEnvelope(sdk, await refusal(composio.authConfigs.create({ toolkit: { slug: 'no-such-toolkit' } })), {
                type: 'NotFoundError', status: 404, code: 10404, slug: 'Toolkit_NotFound',
            });
            assertEnvelope(sdk, await refusal(composio.authConfigs.create({ toolkit: { slug: 'pinecone' } })), {
                type: 'BadRequestError', status: 400, code: 306, slug: 'Auth_Config_DefaultAuthConfigNotFound',
            });
            const body = assertEnvelope(sdk, await refusal(composio.authConfigs.list({ limit: 51 })), {
                type: 'BadRequestError', status: 400, code: 10400, slug: 'Http_ValidationError',
            });
            assert.deepEqual(body.error.errors, ['Error in query.limit: Number must be less than or equal to 50']);
            assertEnvelope(sdk, await refusal(client('ak_not0a0real0keyUbOz').authConfigs.list()), {
                type: 'AuthenticationError', status: 401, code: 801, slug: 'APIKey_InvalidAPIKey', message: 'Invalid API key: ak_**UbOz',
            });
            assertEnvelope(sdk, await refusal(composio.authConfigs.updateStatus('DISABLED', { nanoid: 'ac_000000000000' })), {
                type: 'NotFoundError', status: 404, code: 302, slug: 'Auth_Config_NotFound',
            });
        });
    });
}
