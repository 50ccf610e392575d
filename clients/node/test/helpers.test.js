// The package's own helpers against a real patchbay: isolated tenants, faults confined to their
// block and tenant, the journal, reset and seed, attaching through PATCHBAY_URL.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { attachOrStart, PatchbayError, VENDORS } from 'patchbay-client';
import { usePatchbay } from 'patchbay-client/node-test';

const patchbay = usePatchbay();

async function nangoIntegrations(tenant) {
    const response = await fetch(`${tenant.baseUrl('nango')}/integrations`, { headers: { authorization: `Bearer ${tenant.key('nango')}` } });
    return { status: response.status, body: await response.json() };
}

it('gives each test keys of its own for every vendor', async () => {
    const other = patchbay.server.tenant();
    assert.deepEqual(Object.keys(patchbay.tenant.keys), [...VENDORS]);
    for (const vendor of VENDORS) {
        assert.notEqual(patchbay.tenant.key(vendor), other.key(vendor));
    }
    assert.equal(patchbay.tenant.baseUrl('puretalk'), `${patchbay.server.url}/api`);
    const { status, body } = await nangoIntegrations(patchbay.tenant);
    assert.equal(status, 200);
    assert.ok(body.data.length > 0);
    assert.deepEqual((await patchbay.tenant.requests('nango')).map((entry) => entry.status), [200]);
    assert.deepEqual(await other.requests('nango'), []);
});

it('keeps a fault to its block and its tenant', async () => {
    const bystander = patchbay.server.tenant();
    const id = await patchbay.tenant.withFault('nango', { kind: 'status', status: 503 }, async (faultId) => {
        assert.equal((await nangoIntegrations(patchbay.tenant)).status, 503);
        assert.equal((await nangoIntegrations(bystander)).status, 200);
        return faultId;
    });
    assert.match(id, /^fault_/);
    assert.equal((await nangoIntegrations(patchbay.tenant)).status, 200);
    assert.deepEqual((await patchbay.tenant.requests('nango')).map((entry) => entry.fault), [id, null]);
});

it('resets and seeds', async () => {
    await nangoIntegrations(patchbay.tenant);
    const [{ tenant }] = await patchbay.tenant.requests('nango');
    const seeded = await patchbay.server.seed({ nango: { records: [{ tenant, unique_key: 'seeded-one', provider: 'github' }] } });
    assert.deepEqual(seeded.seeded.nango, { keys: 0, records: 1 });
    const keys = async () => (await nangoIntegrations(patchbay.tenant)).body.data.map((item) => item.unique_key);
    assert.ok((await keys()).includes('seeded-one'));
    assert.deepEqual((await patchbay.tenant.reset('nango')).reset, { vendor: 'nango', tenant });
    assert.ok(!(await keys()).includes('seeded-one'));
});

it('turns a refusal into a PatchbayError', async () => {
    await assert.rejects(patchbay.server.addFault({ vendor: 'nango', kind: 'no-such-kind' }), (error) => error instanceof PatchbayError && error.status === 400);
});

it('attaches to the server at PATCHBAY_URL and leaves it running', async () => {
    process.env.PATCHBAY_URL = patchbay.server.url;
    try {
        const attached = await attachOrStart();
        assert.equal(attached.url, patchbay.server.url);
        await attached.stop();
    } finally {
        delete process.env.PATCHBAY_URL;
    }
    assert.equal((await patchbay.server.health()).status, 'ok');
});
