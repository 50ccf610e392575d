// `usePatchbay()` for node:test: one server for the test file, a fresh tenant before each test.
import { after, before, beforeEach } from 'node:test';
import { usePatchbay as withHooks } from './index.js';

export * from './index.js';

export function usePatchbay(options = {}) {
    return withHooks({ beforeAll: before, afterAll: after, beforeEach }, options);
}
