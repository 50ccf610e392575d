// Type declarations of patchbay-client (index.js).

export type Vendor = 'nango' | 'langdock' | 'nylas' | 'composio' | 'puretalk';
export const VENDORS: readonly Vendor[];

/** A fault rule as the control API takes it (see `/_patchbay/openapi.json`). */
export interface FaultRule {
    kind: string;
    vendor?: Vendor;
    key?: string;
    status?: number;
    times?: number;
    [field: string]: unknown;
}

/** One request journal entry. */
export interface JournalEntry {
    id: number;
    time: string;
    vendor: Vendor;
    tenant: string | null;
    method: string;
    path: string;
    query: string;
    status: number | null;
    error_code: string | null;
    duration_ms: number;
    request_id: string | null;
    body: unknown;
    body_bytes: number;
    /** The body was left out for being over `control.journal_entry_bytes`. */
    truncated: boolean;
    fault: string | null;
    [field: string]: unknown;
}

export type JournalFilters = Partial<Record<'vendor' | 'tenant' | 'key' | 'method' | 'path' | 'status' | 'since' | 'after' | 'limit', string | number>>;

export function newKey(vendor: Vendor): string;

export class PatchbayError extends Error {
    status: number;
    body: unknown;
}

export class Patchbay {
    constructor(url: string, options?: { adminToken?: string });
    readonly url: string;
    readonly baseUrl: string;
    log(): string;
    sdkBaseUrl(vendor: Vendor): string;
    control(method: string, route: string, options?: { body?: unknown; query?: Record<string, unknown> }): Promise<any>;
    health(): Promise<{ status: string; version: string }>;
    requests(filters?: JournalFilters): Promise<JournalEntry[]>;
    clearRequests(): Promise<void>;
    addFault(rule: FaultRule): Promise<string>;
    removeFault(id: string): Promise<void>;
    clearFaults(): Promise<void>;
    withFault<T>(rule: FaultRule, block: (id: string) => T | Promise<T>): Promise<T>;
    reset(scope?: { vendor?: Vendor; tenant?: string; key?: string }): Promise<any>;
    seed(documents: Partial<Record<Vendor, { keys?: unknown[]; records?: unknown[] }>>): Promise<any>;
    state(vendor: Vendor, tenant?: string): Promise<any>;
    tenant(): Tenant;
    stop(): Promise<void>;
}

export class Tenant {
    readonly server: Patchbay;
    readonly keys: Record<Vendor, string>;
    readonly url: string;
    key(vendor: Vendor): string;
    baseUrl(vendor: Vendor): string;
    requests(vendor: Vendor, filters?: JournalFilters): Promise<JournalEntry[]>;
    withFault<T>(vendor: Vendor, rule: FaultRule, block: (id: string) => T | Promise<T>): Promise<T>;
    reset(vendor: Vendor): Promise<any>;
}

export interface StartOptions {
    binary?: string;
    args?: string[];
    openKeys?: boolean;
    logLevel?: string;
    suite?: string;
    timeoutMs?: number;
}

export function findBinary(): string;
export function startPatchbay(options?: StartOptions): Promise<Patchbay>;
export function attachOrStart(options?: StartOptions): Promise<Patchbay>;

export interface PatchbayContext {
    readonly server: Patchbay;
    readonly tenant: Tenant;
}

type Hook = (fn: () => unknown) => unknown;
export function usePatchbay(hooks: { beforeAll: Hook; afterAll: Hook; beforeEach: Hook }, options?: StartOptions): PatchbayContext;
