import { expect } from 'vitest'
import type { Invoice } from '../../core/invoices/types.js'
import type { InvoiceCreated, PaymentCreated } from '../../core/ports/index.js'
import { customer, draft, HOUR, method, payment, plan, subscription, T0 } from '../ports/port-fixtures.js'
import type { CrossProcessContext } from './cross-process-suite.js'
import { indexIn, range, rotate, winnersByKey } from './key-order.js'
import { numberingOf } from './storage-calls.js'

const T = 120_000
const FEB = '2026-02-01T00:00:00.000Z'

/** Numbers `<sequence>-<n>` back to n, ascending. */
const numbersOf = (invoices: ReadonlyArray<Invoice | null>, sequence: string): number[] =>
  invoices.map((i) => Number(i?.number?.slice(sequence.length + 1))).sort((a, b) => a - b)

/**
 * The cross-process tests of records: one insert per key, one compare-and-set winner per revision,
 * one invoice per (subscription, period end) with gapless numbers, one payment per reference.
 * Process `p` walks the keys rotated by `p`, so answer `k` of process `p` is about key `(k + p) % n`.
 *
 * @example
 * crossRecordTests(ctx)
 */
export function crossRecordTests({ ready, unique, test }: CrossProcessContext): void {
  test(
    'cross-process.insert-once',
    'of processes inserting the same keys, one stores each customer, plan, subscription and payment method',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xins')
      const keys = range(0, 5)
      const results = await processes.run((p) =>
        rotate(keys, p).flatMap((k) => [
          { method: 'customers.insert' as const, customer: customer(`${ns}c${k}`, `p${p}`) },
          { method: 'plans.insert' as const, plan: { ...plan(`${ns}plan${k}`, 1), name: `p${p}` } },
          {
            method: 'subscriptions.insert' as const,
            subscription: { ...subscription(`${ns}s${k}`, `${ns}c${k}`, T0), metadata: { p: `p${p}` } },
          },
          {
            method: 'paymentMethods.insert' as const,
            record: { ...method(`${ns}pm${k}`, `${ns}c${k}`), authorization: `p${p}` },
          },
        ]),
      )
      // Four calls per key: answer 4k + j of process p is call j on key (k + p) % 5.
      for (const [j, read] of [
        async (k: number) => (await storage.customers.get(`${ns}c${k}`))?.name,
        async (k: number) => (await storage.plans.getVersions(`${ns}plan${k}`)).map((v) => v.name).join(),
        async (k: number) => (await storage.subscriptions.get(`${ns}s${k}`))?.metadata.p,
        async (k: number) => (await storage.paymentMethods.get(`${ns}pm${k}`))?.authorization,
      ].entries()) {
        const answers = results.map((r) => r.filter((_, i) => i % 4 === j))
        const winners = winnersByKey(keys.length, answers, (answer) => answer === true)
        for (const k of keys) {
          expect(winners[k], `call ${j} on key ${k}`).toHaveLength(1)
          expect(await read(k)).toBe(`p${winners[k]![0]}`)
        }
      }
    },
    T,
  )

  test(
    'cross-process.update-once',
    'of processes updating one subscription revision at once, one wins',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xupd')
      const keys = range(0, 6)
      for (const k of keys) await storage.subscriptions.insert(subscription(`${ns}s${k}`, `${ns}c`, T0))
      const results = await processes.run((p) =>
        rotate(keys, p).map((k) => ({
          method: 'subscriptions.update' as const,
          subscription: { ...subscription(`${ns}s${k}`, `${ns}c`, T0 + p * HOUR), revision: 1 },
        })),
      )
      const winners = winnersByKey(keys.length, results, (answer) => answer === true)
      for (const k of keys) {
        expect(winners[k], `subscription ${k}`).toHaveLength(1)
        expect(await storage.subscriptions.get(`${ns}s${k}`)).toMatchObject({
          revision: 1,
          next_invoice_at: T0 + winners[k]![0]! * HOUR,
        })
      }
    },
    T,
  )

  test(
    'cross-process.invoices.create-once',
    'processes creating and finalizing the same invoices make one per (subscription, period end), numbered gaplessly',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xinv')
      const sequence = `${ns}INV`
      const subs = range(0, 12)
      const item = (p: number, k: number) => ({
        invoice: { ...draft(`${ns}in_p${p}_${k}`, `${ns}s${k}`, FEB, `${ns}c`), status: 'open' as const },
        final: true,
      })
      const created = await processes.run((p) => {
        const order = rotate(subs, 3 * p)
        return [0, 4, 8].map((start) => ({
          method: 'invoices.create' as const,
          items: order.slice(start, start + 4).map((k) => item(p, k)),
          sequence,
        }))
      })
      const answers = created.flat().flat() as InvoiceCreated[]
      const made = answers.filter((a) => a.created).map((a) => a.invoice)
      expect(made.map((i) => i.subscription_id).sort()).toEqual(subs.map((k) => `${ns}s${k}`).sort())
      expect(numbersOf(made, sequence)).toEqual(range(1, subs.length))
      for (const k of subs) {
        const stored = answers.filter((a) => a.invoice.subscription_id === `${ns}s${k}`).map((a) => a.invoice)
        expect(new Set(stored.map((i) => i.id)).size, `subscription ${k}`).toBe(1)
      }
      const listed = await storage.invoices.list({ customer_id: `${ns}c`, limit: 100 })
      expect(listed.map((i) => i.id).sort()).toEqual(made.map((i) => i.id).sort())

      // Drafts finalized by every process at once: one number each, continuing the sequence.
      const drafts = range(0, 8).map((k) => draft(`${ns}d${k}`, `${ns}f${k}`, FEB, `${ns}d`))
      for (const doc of drafts)
        await storage.invoices.create([{ invoice: doc, final: false }], numberingOf(sequence))
      const finals = await processes.run((p) =>
        rotate(drafts, 2 * p).map((doc) => ({
          method: 'invoices.finalize' as const,
          invoice: { ...doc, status: 'open' as const },
          sequence,
        })),
      )
      const won = finals.flat().filter((f): f is Invoice => f !== null)
      expect(won.map((i) => i.id).sort()).toEqual(drafts.map((d) => d.id).sort())
      expect(numbersOf(won, sequence)).toEqual(range(subs.length + 1, drafts.length))
      for (const final of won) expect(await storage.invoices.get(final.id)).toEqual(final)
    },
    T,
  )

  test(
    'cross-process.payments.create-once',
    'processes creating the same references store one payment each, and one compare-and-set wins',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xpay')
      const refs = range(0, 10)
      const created = await processes.run((p) =>
        rotate(refs, p).map((k) => ({
          method: 'payments.create' as const,
          payment: payment(`${ns}py_p${p}_${k}`, `${ns}ref${k}`, `${ns}in`, `${ns}c`),
        })),
      )
      const winners = winnersByKey(refs.length, created, (answer) => (answer as PaymentCreated).created)
      for (const k of refs) {
        expect(winners[k], `reference ${k}`).toHaveLength(1)
        const stored = await storage.payments.getByReference(`${ns}ref${k}`)
        expect(stored?.id).toBe(`${ns}py_p${winners[k]![0]}_${k}`)
        const seen = created.map(
          (answers, p) => (answers[indexIn(k, p, refs.length)] as PaymentCreated).payment,
        )
        for (const payment of seen) expect(payment).toEqual(stored)
      }
      const stored = await storage.payments.list({ invoice_id: `${ns}in`, limit: 100 })
      expect(stored).toHaveLength(refs.length)

      const byRef = new Map(stored.map((s) => [s.reference, s]))
      const updates = await processes.run((p) =>
        rotate(refs, p).map((k) => ({
          method: 'payments.update' as const,
          payment: {
            ...byRef.get(`${ns}ref${k}`)!,
            status: 'succeeded' as const,
            gateway_id: `g_p${p}`,
            revision: 1,
          },
        })),
      )
      const updaters = winnersByKey(refs.length, updates, (answer) => answer === true)
      for (const k of refs) {
        expect(updaters[k], `payment ${k}`).toHaveLength(1)
        expect(await storage.payments.getByReference(`${ns}ref${k}`)).toMatchObject({
          revision: 1,
          gateway_id: `g_p${updaters[k]![0]}`,
        })
      }
    },
    T,
  )
}
