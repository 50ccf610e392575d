// patchbay-client/jest: a server for the file and a fresh tenant per test, under Jest.

import { usePatchbay } from 'patchbay-client/jest';

const patchbay = usePatchbay();
let previous;

it.each([1, 2])('gives test %i its own tenant and journal', async () => {
    expect(patchbay.tenant.key('nango')).not.toBe(previous);
    previous = patchbay.tenant.key('nango');
    const status = await patchbay.tenant.withFault('nango', { kind: 'status', status: 503 }, async () =>
        (await fetch(`${patchbay.tenant.baseUrl('nango')}/integrations`, { headers: { authorization: `Bearer ${patchbay.tenant.key('nango')}` } })).status);
    expect(status).toBe(503);
    expect((await patchbay.tenant.requests('nango')).map((entry) => entry.status)).toEqual([503]);
});
