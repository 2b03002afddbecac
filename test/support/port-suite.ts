import { afterAll, beforeAll, describe } from 'vitest'
import type { Invoice } from '../../src/core/invoices/types.js'
import type { Storage } from '../../src/core/ports/index.js'
import { memoryTarget, openStorage, sqlTargets } from './targets.js'

/** The instant the port suites' documents are dated. */
export const NOW = '2026-01-01T00:00:00.000Z'

/** The ids of some rows, in their order. */
export const ids = <T extends { id: string }>(rows: T[]): string[] => rows.map((r) => r.id)

/**
 * A draft invoice of ₦10 for the port suites (every field set, nothing computed).
 *
 * @example
 * await storage.invoices.create([{ invoice: draft('in_1', 's_1'), final: false }], numbering)
 */
export const draft = (
  id: string,
  subscription_id: string,
  period_end = '2026-02-01T00:00:00.000Z',
  customer_id = 'c_1',
): Invoice => ({
  id,
  number: null,
  customer_id,
  subscription_id,
  plan_code: 'basic',
  plan_version: 1,
  currency: 'NGN',
  status: 'draft',
  billing_reason: 'subscription_cycle',
  period_start: NOW,
  period_end,
  lines: [{ type: 'fixed', description: 'Basic', amount: 1000, precise_amount: '1000' }],
  subtotal: 1000,
  tax: 0,
  total: 1000,
  amount_due: 1000,
  created_at: NOW,
  updated_at: NOW,
  finalized_at: null,
  due_at: null,
  voided_at: null,
  amount_paid: 0,
  paid_at: null,
  attempt_count: 0,
  next_payment_attempt: null,
  timezone: 'UTC',
  customer_name: null,
  customer_email: null,
})

/**
 * Registers `body` once per storage (memory and every SQL target), each on a fresh, migrated store.
 *
 * @example
 * describeOnEveryStorage('payment port', (storage) => { it('…', async () => { await storage().payments.get('x') }) })
 */
export function describeOnEveryStorage(title: string, body: (storage: () => Storage) => void): void {
  for (const target of [memoryTarget, ...sqlTargets]) {
    describe.skipIf(target.skip !== undefined)(`${title}: ${target.name}`, () => {
      let storage: Storage | undefined
      let destroy: () => Promise<void> = async () => {}
      beforeAll(async () => {
        const store = await target.fresh()
        destroy = store.destroy
        storage = await openStorage(store.config)
        await storage.migrate()
      })
      afterAll(async () => {
        await storage?.close()
        await destroy()
      })
      body(() => {
        if (storage === undefined) throw new Error(`${target.name} failed to start; see beforeAll`)
        return storage
      })
    })
  }
}
