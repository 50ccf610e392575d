// `usePatchbay()` for Jest: one server for the test file, a fresh tenant before each test. Jest's
// hooks are globals of the test environment.
import { usePatchbay as withHooks } from './index.js';

export * from './index.js';

export function usePatchbay(options = {}) {
    const { beforeAll, afterAll, beforeEach } = globalThis;
    return withHooks({ beforeAll, afterAll, beforeEach }, options);
}
