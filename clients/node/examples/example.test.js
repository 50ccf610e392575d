import assert from 'node:assert/strict';
import { it } from 'node:test';
import Nylas from 'nylas';
import { usePatchbay } from 'patchbay-client/node-test';

const patchbay = usePatchbay(); // one server for the file, a fresh tenant of each vendor per test

it('syncs my connectors', async () => {
    const nylas = new Nylas({ apiKey: patchbay.tenant.key('nylas'), apiUri: patchbay.tenant.baseUrl('nylas') });
    assert.ok((await nylas.connectors.list({})).data.length > 0);
    await patchbay.tenant.withFault('nylas', { kind: 'status', status: 503 }, () => assert.rejects(nylas.connectors.list({})));
    assert.deepEqual((await patchbay.tenant.requests('nylas')).map((entry) => entry.status), [200, 503]);
});
