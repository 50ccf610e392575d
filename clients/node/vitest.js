// `usePatchbay()` for Vitest: one server for the test file, a fresh tenant before each test.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { usePatchbay as withHooks } from './index.js';

export * from './index.js';

export function usePatchbay(options = {}) {
    return withHooks({ beforeAll, afterAll, beforeEach }, options);
}
