import type { Storage } from '../../core/ports/index.js'

/**
 * Registers one test under a stable id. When the run's `skipTests` names the id, its title or its
 * suite's id, the test is registered as skipped with the reason in its title instead.
 */
export type SuiteTest = (id: string, title: string, body: () => Promise<void>, timeout?: number) => void

/** What each port suite (and `additionalTests`) gets. */
export interface PortSuiteContext {
  /** The storage under test, migrated: one store shared by every port test of the run. */
  storage(): Storage
  /**
   * A prefix unique to the calling test. The store is shared, so every key a test writes (ids,
   * codes, customers, sequence names) starts with one.
   */
  unique(label: string): string
  /** Registers a test; use it instead of vitest's `it` so that `skipTests` can name the test. */
  test: SuiteTest
}

/**
 * The port-level tests of one sub-store, registered with vitest. Pass a selection as
 * `runStorageSuites({ suites })`, or write your own with the same shape.
 *
 * @example
 * const mine: PortSuite = {
 *   id: 'mine',
 *   title: 'my storage extras',
 *   register: (ctx) => ctx.test('mine.get', 'get answers null', async () => {}),
 * }
 */
export interface PortSuite {
  /** The first part of its test ids (`invoices` in `invoices.create-once`). */
  readonly id: string
  /** The describe title (`storage.invoices`). */
  readonly title: string
  register(ctx: PortSuiteContext): void
}

/**
 * The ids of some rows, in their order.
 *
 * @example
 * expect(ids(await storage.customers.list({ limit: 2 }))).toEqual(['c_1', 'c_2'])
 */
export const ids = <T extends { id: string }>(rows: readonly T[]): string[] => rows.map((r) => r.id)

/**
 * The rows whose key starts with a test's prefix: the store is shared, and keys that start with one
 * prefix are adjacent in key order, so a page read `after` the prefix holds them first.
 *
 * @example
 * const mine = own(ns, await storage.subscriptions.listDue({ due_by, after: ns, limit: 100 }))
 */
export const own = <T extends { id: string }>(ns: string, rows: readonly T[]): string[] =>
  ids(rows).filter((id) => id.startsWith(ns))

/**
 * Every row of a test's prefix, read page by page with `read(after)` (pages of `limit`), starting
 * after the prefix and stopping at the first page that is short or leaves the prefix.
 *
 * @example
 * const mine = await ownPages(ns, 2, (after) => storage.invoices.list({ limit: 2, after }))
 */
export async function ownPages<T extends { id: string }>(
  ns: string,
  limit: number,
  read: (after: string) => Promise<readonly T[]>,
): Promise<string[]> {
  const seen: string[] = []
  for (let after = ns; ; ) {
    const rows = await read(after)
    const mine = own(ns, rows)
    seen.push(...mine)
    if (rows.length < limit || mine.length < rows.length) return seen
    after = rows.at(-1)!.id
  }
}
