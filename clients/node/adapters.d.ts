// Type declarations of the runner entry points: patchbay-client/node-test, /vitest and /jest.
export * from './index.js';
import type { PatchbayContext, StartOptions } from './index.js';

/** One server for the test file, a fresh tenant before each test. */
export function usePatchbay(options?: StartOptions): PatchbayContext;
