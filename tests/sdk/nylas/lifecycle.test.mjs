// The official `nylas` Node SDK (pinned in package.json) through the whole lifecycle of connectors
// and their credentials, against a real patchbay server with the demo fixtures: create, find, list
// (limit, offset, sort), update (the SDK's PUT for connectors, PATCH for credentials) and destroy,
// and NylasApiError with Nylas's type, message, status and request id where Nylas refuses.
// Facts: LIFECYCLE.md §3.2 (routes, bodies), §3.3 (what this SDK sends and reads).
//
// The server comes from patchbay-client (clients/node, a file: dependency): PATCHBAY_BIN (set by
// tests/sdk/run.sh), else `patchbay` on PATH; open keys stay off, as the suite expects unknown keys refused.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import Nylas, { NylasApiError } from 'nylas';

import { startPatchbay } from 'patchbay-client';

// The prod application of fixtures/nylas.json: google and microsoft connectors.
const PROD_KEY = 'nyk_v0_Pr0d9Lm2Kx7Vb4Nc8Zq1Wd5Ry3Tf6Gh0Js2Ua7Ie9Ok4Xc3';
const PROD_GOOGLE_ACTIVE = 'f8c6b7a9-a0b3-4ec5-9f46-0718293a4b56';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let patchbay;
let nylas;

before(async () => {
    patchbay = await startPatchbay({ suite: 'nylas-lifecycle', openKeys: false });
    nylas = new Nylas({ apiKey: PROD_KEY, apiUri: patchbay.baseUrl });
});

after(async () => {
    await patchbay.stop();
});

/** `{requestId, data, flowId, headers}` with the body's request id in `x-request-id` too. */
function one(response) {
    assert.deepStrictEqual(Object.keys(response), ['requestId', 'data', 'flowId', 'headers']);
    assert.match(response.requestId, UUID_V4);
    assert.equal(response.rawHeaders['x-request-id'], response.requestId);
    return response.data;
}

/** A page: `{requestId, data, limit, offset, flowId, headers, next}`; never a cursor to follow. */
function page(response) {
    assert.deepStrictEqual(Object.keys(response), ['requestId', 'data', 'limit', 'offset', 'flowId', 'headers', 'next']);
    assert.match(response.requestId, UUID_V4);
    assert.equal(response.nextCursor, undefined);
    return response;
}

/** A destroy's `{requestId, flowId, headers}`. */
function destroyed(response) {
    assert.deepStrictEqual(Object.keys(response), ['requestId', 'flowId', 'headers']);
    assert.match(response.requestId, UUID_V4);
}

function checkCredential(data) {
    assert.deepStrictEqual(Object.keys(data), ['id', 'name', 'createdAt', 'updatedAt']);
    assert.ok(Number.isInteger(data.createdAt) && Number.isInteger(data.updatedAt));
    return data;
}

async function assertNylasError(promise, statusCode, type, message) {
    await assert.rejects(promise, (err) => {
        assert.ok(err instanceof NylasApiError, `expected a NylasApiError, got ${err?.constructor?.name}: ${err}`);
        assert.equal(err.statusCode, statusCode, `statusCode; message was ${err.message}`);
        assert.equal(err.type, type);
        assert.equal(err.message, message);
        assert.match(err.requestId ?? '', UUID_V4, 'requestId comes from x-request-id');
        return true;
    });
}

describe('connectors: create, find, list, update, destroy', () => {
    let primaryId;

    it('creates a zoom connector, snake-casing the settings, with its primary credential active', async () => {
        const data = one(await nylas.connectors.create({
            requestBody: { provider: 'zoom', settings: { clientId: 'sdk-zoom-id', clientSecret: 'sdk-zoom-secret' } },
        }));
        assert.match(data.activeCredentialId, UUID_V4);
        primaryId = data.activeCredentialId;
        assert.deepStrictEqual(data, { name: 'Zoom Connector', provider: 'zoom', settings: {}, scope: [], activeCredentialId: primaryId });
        const primary = checkCredential(one(await nylas.connectors.credentials.find({ provider: 'zoom', credentialsId: primaryId })));
        assert.equal(primary.name, 'Primary credential');
    });

    it('refuses a second zoom connector', async () => {
        await assertNylasError(
            nylas.connectors.create({ requestBody: { provider: 'zoom', settings: { clientId: 'a', clientSecret: 'b' } } }),
            400,
            'api.invalid_request_error',
            'A connector for provider zoom already exists'
        );
    });

    it('finds it', async () => {
        const data = one(await nylas.connectors.find({ provider: 'zoom' }));
        assert.equal(data.activeCredentialId, primaryId);
    });

    it('lists the connectors with limit and offset, in creation order, without following any cursor', async () => {
        const all = page(await nylas.connectors.list({ queryParams: {} }));
        assert.deepStrictEqual(all.data.map((c) => c.provider), ['google', 'microsoft', 'zoom']);
        assert.equal(all.limit, 10);
        assert.equal(all.offset, 0);
        const second = page(await nylas.connectors.list({ queryParams: { limit: 1, offset: 1 } }));
        assert.deepStrictEqual(second.data, [all.data[1]]);
        assert.equal(second.limit, 1);
        assert.equal(second.offset, 1);
        let pages = 0;
        for await (const each of nylas.connectors.list({ queryParams: { limit: 2 } })) {
            pages += 1;
            assert.equal(each.data.length, 2);
        }
        assert.equal(pages, 1, 'iteration stops: there is no next_cursor');
    });

    it('updates it with the SDK\'s PUT', async () => {
        const data = one(await nylas.connectors.update({
            provider: 'zoom',
            requestBody: { name: 'Zoom via SDK', scope: ['meeting:read'] },
        }));
        assert.deepStrictEqual(data, { name: 'Zoom via SDK', provider: 'zoom', settings: {}, scope: ['meeting:read'], activeCredentialId: primaryId });
        assert.deepStrictEqual(one(await nylas.connectors.find({ provider: 'zoom' })), data);
    });

    it('destroys it with its credentials; find then gets NylasApiError 404', async () => {
        destroyed(await nylas.connectors.destroy({ provider: 'zoom' }));
        await assertNylasError(nylas.connectors.find({ provider: 'zoom' }), 404, 'api.not_found_error', 'Connector "zoom" not found');
        await assertNylasError(
            nylas.connectors.credentials.find({ provider: 'zoom', credentialsId: primaryId }),
            404,
            'api.not_found_error',
            `Credential "${primaryId}" not found`
        );
    });
});

describe('credentials: create, find, list, update, destroy', () => {
    const created = [];

    it('creates credentials of each type, snake-casing the nested data', async () => {
        for (const name of ['SDK override A', 'SDK override B']) {
            const data = checkCredential(one(await nylas.connectors.credentials.create({
                provider: 'google',
                requestBody: { name, credentialType: 'connector', credentialData: { clientId: `${name} id`, clientSecret: `${name} secret` } },
            })));
            assert.equal(data.name, name);
            assert.match(data.id, UUID_V4);
            assert.equal(data.createdAt, data.updatedAt);
            created.push(data);
        }
        const consent = checkCredential(one(await nylas.connectors.credentials.create({
            provider: 'microsoft',
            requestBody: { name: 'SDK consent', credentialType: 'adminconsent', credentialData: { tenant: 'sdk-tenant' } },
        })));
        assert.equal(consent.name, 'SDK consent');
    });

    it('refuses a name the connector already has', async () => {
        await assertNylasError(
            nylas.connectors.credentials.create({
                provider: 'google',
                requestBody: { name: 'SDK override A', credentialType: 'connector', credentialData: { clientId: 'other', clientSecret: 'other' } },
            }),
            400,
            'api.invalid_request_error',
            'A credential named "SDK override A" already exists for connector google'
        );
    });

    it('finds one', async () => {
        assert.deepStrictEqual(
            checkCredential(one(await nylas.connectors.credentials.find({ provider: 'google', credentialsId: created[0].id }))),
            created[0]
        );
    });

    it('lists them with limit, offset, sortBy and orderBy', async () => {
        const all = page(await nylas.connectors.credentials.list({ provider: 'google', queryParams: {} }));
        assert.equal(all.limit, 10);
        // Newest first by default.
        assert.deepStrictEqual(all.data.map((c) => c.id), [created[1].id, created[0].id, PROD_GOOGLE_ACTIVE]);
        // LIFECYCLE.md §3.3: the SDK sends sortBy's value unchanged, as sort_by=createdAt.
        const oldestFirst = page(await nylas.connectors.credentials.list({
            provider: 'google',
            queryParams: { limit: 1, offset: 1, sortBy: 'createdAt', orderBy: 'asc' },
        }));
        assert.deepStrictEqual(oldestFirst.data.map(checkCredential), [created[0]]);
        assert.equal(oldestFirst.limit, 1);
        assert.equal(oldestFirst.offset, 1);
    });

    it('updates one', async () => {
        const data = checkCredential(one(await nylas.connectors.credentials.update({
            provider: 'google',
            credentialsId: created[0].id,
            requestBody: { name: 'SDK override A renamed' },
        })));
        assert.equal(data.name, 'SDK override A renamed');
        assert.ok(data.updatedAt > created[0].updatedAt);
    });

    it('destroys one; find then gets NylasApiError 404', async () => {
        destroyed(await nylas.connectors.credentials.destroy({ provider: 'google', credentialsId: created[1].id }));
        await assertNylasError(
            nylas.connectors.credentials.find({ provider: 'google', credentialsId: created[1].id }),
            404,
            'api.not_found_error',
            `Credential "${created[1].id}" not found`
        );
    });

    it('cannot destroy the active credential', async () => {
        await assertNylasError(
            nylas.connectors.credentials.destroy({ provider: 'google', credentialsId: PROD_GOOGLE_ACTIVE }),
            400,
            'api.invalid_request_error',
            `Credential "${PROD_GOOGLE_ACTIVE}" is the active credential of connector google and cannot be deleted`
        );
    });

    it('makes another credential active with a connector update, and then the old one can go', async () => {
        const data = one(await nylas.connectors.update({ provider: 'google', requestBody: { activeCredentialId: created[0].id } }));
        assert.equal(data.activeCredentialId, created[0].id);
        destroyed(await nylas.connectors.credentials.destroy({ provider: 'google', credentialsId: PROD_GOOGLE_ACTIVE }));
    });
});
