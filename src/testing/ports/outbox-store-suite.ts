import { expect } from 'vitest'
import type { Invoice } from '../../core/invoices/types.js'
import { notificationRecord } from '../../core/notifications/notify.js'
import type { NotificationRecord, Outbox, Storage } from '../../core/ports/index.js'
import { draft, LATER, numbering, payment, subscription, T0 } from './port-fixtures.js'
import type { PortSuite } from './port-suite.js'

const FEB = '2026-02-01T00:00:00.000Z'

/** A record of this test for customer `<ns>c`, keyed `<ns><name>`, reporting `what`. */
const report = (ns: string, name: string, what: unknown): NotificationRecord =>
  notificationRecord(T0, {
    type: 'invoice.paid',
    key: `${ns}${name}`,
    customer_id: `${ns}c`,
    data: { name, what: JSON.parse(JSON.stringify(what)) as unknown },
  })

/** An outbox that reports each result it is given as `<ns><name>`. */
const reporting =
  <T>(ns: string, name: string): Outbox<T> =>
  (result) => [report(ns, name, result)]

/** An outbox whose record cannot be written: reading its `data` throws. */
const broken =
  <T>(ns: string, name: string): Outbox<T> =>
  () => {
    const record = report(ns, name, null)
    Object.defineProperty(record, 'data', {
      enumerable: true,
      get: () => {
        throw new Error('this record cannot be written')
      },
    })
    return [record]
  }

/** What this test's outboxes stored, oldest first: the keys without the test's prefix. */
const storedKeys = async (storage: Storage, ns: string): Promise<string[]> => {
  const records = await storage.notifications.list({ customer_id: `${ns}c`, limit: 100 })
  return records.map((r) => r.key.slice(ns.length))
}

/**
 * The outboxes of the store methods that take one (`invoices.create`, `createOneOff`, `finalize`,
 * `transition`, `payments.create`, `payments.update`, `subscriptions.update`): the records are
 * stored with the change, built from the stored result; a change that does not happen stores none;
 * a record whose key is stored is skipped without failing the change; and a record that cannot be
 * written fails the call and leaves the change unmade, as one transaction.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [outboxStoreSuite] })
 */
export const outboxStoreSuite: PortSuite = {
  id: 'outbox',
  title: 'store outboxes',
  register: ({ storage, unique, test }) => {
    const invoices = () => storage().invoices

    test(
      'outbox.writes',
      'a change given an outbox stores its records, built from the stored result',
      async () => {
        const ns = unique('obx')
        const seq = numbering(ns)
        const sub = subscription(`${ns}s_1`, `${ns}c`, T0)
        await storage().subscriptions.insert(sub)
        const d1 = draft(`${ns}in_1`, `${ns}s_1`, FEB, `${ns}c`)
        const d2 = draft(`${ns}in_2`, `${ns}s_2`, FEB, `${ns}c`)
        const seen: Array<{ key: string; number: string | null }> = []
        const [created] = await invoices().create(
          [
            { invoice: { ...d1, status: 'open' }, final: true },
            { invoice: d2, final: false },
          ],
          seq,
          (result) => {
            seen.push({ key: result.invoice.id, number: result.invoice.number })
            return [report(ns, `created:${result.invoice.id.slice(ns.length)}`, result.invoice.number)]
          },
        )
        expect(created!.invoice.number).toBe(`${ns}INV-1`)
        expect(seen).toEqual([
          { key: d1.id, number: `${ns}INV-1` },
          { key: d2.id, number: null },
        ])
        const open = await invoices().finalize({ ...d2, status: 'open' }, seq, reporting(ns, 'finalized'))
        const oneOff = await invoices().createOneOff(
          { ...draft(`${ns}in_3`, `${ns}s_1`, FEB, `${ns}c`), status: 'open' },
          `${ns}k`,
          seq,
          reporting(ns, 'one-off'),
        )
        const paid = await invoices().transition(
          d1.id,
          ['open'],
          { status: 'paid', updated_at: LATER, paid_at: LATER },
          reporting(ns, 'paid'),
        )
        const py = payment(`${ns}py_1`, `${ns}ref_1`, d1.id, `${ns}c`)
        await storage().payments.create(py, reporting(ns, 'payment-created'))
        const succeeded = { ...py, status: 'succeeded' as const, revision: 1 }
        expect(await storage().payments.update(succeeded, reporting(ns, 'payment-updated'))).toBe(true)
        const paused = { ...sub, status: 'paused' as const, revision: 1 }
        expect(await storage().subscriptions.update(paused, reporting(ns, 'paused'))).toBe(true)

        expect(await storedKeys(storage(), ns)).toEqual([
          'created:in_1',
          'created:in_2',
          'finalized',
          'one-off',
          'paid',
          'payment-created',
          'payment-updated',
          'paused',
        ])
        const records = await storage().notifications.list({ customer_id: `${ns}c`, limit: 100 })
        const what = (name: string) => records.find((r) => r.key === `${ns}${name}`)!.data.what
        expect(what('finalized')).toEqual(JSON.parse(JSON.stringify(open)))
        expect((open as Invoice).number).toBe(`${ns}INV-2`)
        expect(what('one-off')).toEqual(JSON.parse(JSON.stringify(oneOff.invoice)))
        expect(oneOff.invoice.number).toBe(`${ns}INV-3`)
        expect(what('paid')).toEqual(JSON.parse(JSON.stringify(paid)))
        expect(what('payment-updated')).toEqual(succeeded)
        expect(what('paused')).toEqual(paused)
        expect(await invoices().get(d1.id)).toMatchObject({ status: 'paid' })
        expect(await storage().subscriptions.get(sub.id)).toEqual(paused)
      },
    )

    test('outbox.no-change', 'a change that does not happen stores no record', async () => {
      const ns = unique('obx')
      const seq = numbering(ns)
      const sub = subscription(`${ns}s_1`, `${ns}c`, T0)
      await storage().subscriptions.insert(sub)
      const d1 = draft(`${ns}in_1`, `${ns}s_1`, FEB, `${ns}c`)
      await invoices().create([{ invoice: d1, final: false }], seq)
      const again = draft(`${ns}in_1b`, `${ns}s_1`, FEB, `${ns}c`)
      await invoices().create(
        [{ invoice: { ...again, status: 'open' }, final: true }],
        seq,
        reporting(ns, 'a'),
      )
      await invoices().finalize({ ...d1, status: 'open' }, seq)
      expect(await invoices().finalize({ ...d1, status: 'open' }, seq, reporting(ns, 'b'))).toBeNull()
      const oneOff = { ...draft(`${ns}in_2`, `${ns}s_1`, FEB, `${ns}c`), status: 'open' as const }
      await invoices().createOneOff(oneOff, `${ns}k`, seq)
      const second = { ...oneOff, id: `${ns}in_2b` }
      expect(await invoices().createOneOff(second, `${ns}k`, seq, reporting(ns, 'c'))).toMatchObject({
        created: false,
      })
      const patch = { status: 'void' as const, updated_at: LATER, voided_at: LATER }
      expect(await invoices().transition(d1.id, ['draft'], patch, reporting(ns, 'd'))).toBeNull()
      expect(await invoices().transition(`${ns}none`, ['open'], patch, reporting(ns, 'e'))).toBeNull()
      const py = payment(`${ns}py_1`, `${ns}ref_1`, d1.id, `${ns}c`)
      await storage().payments.create(py)
      expect(await storage().payments.create({ ...py, id: `${ns}py_2` }, reporting(ns, 'f'))).toMatchObject({
        created: false,
      })
      const stale = { ...py, status: 'failed' as const, revision: 2 }
      expect(await storage().payments.update(stale, reporting(ns, 'g'))).toBe(false)
      const lost = { ...sub, status: 'paused' as const, revision: 5 }
      expect(await storage().subscriptions.update(lost, reporting(ns, 'h'))).toBe(false)
      expect(await storedKeys(storage(), ns)).toEqual([])
    })

    test(
      'outbox.key-taken',
      'a record whose key is stored is skipped; the change still happens',
      async () => {
        const ns = unique('obx')
        const seq = numbering(ns)
        await storage().notifications.add([report(ns, 'taken', 'first')])
        const d1 = draft(`${ns}in_1`, `${ns}s_1`, FEB, `${ns}c`)
        await invoices().create([{ invoice: d1, final: false }], seq)
        const both: Outbox<Invoice> = (invoice) => [
          report(ns, 'taken', invoice),
          report(ns, 'fresh', invoice.number),
        ]
        const open = await invoices().finalize({ ...d1, status: 'open' }, seq, both)
        expect(open).toMatchObject({ status: 'open', number: `${ns}INV-1` })
        const py = payment(`${ns}py_1`, `${ns}ref_1`, d1.id, `${ns}c`)
        await storage().payments.create(py)
        const next = { ...py, status: 'succeeded' as const, revision: 1 }
        expect(await storage().payments.update(next, reporting(ns, 'taken'))).toBe(true)
        expect(await storage().payments.get(py.id)).toEqual(next)
        const records = await storage().notifications.list({ customer_id: `${ns}c`, limit: 100 })
        expect(records.map((r) => [r.key.slice(ns.length), r.data.what])).toEqual([
          ['taken', 'first'],
          ['fresh', `${ns}INV-1`],
        ])
      },
    )

    test(
      'outbox.atomic',
      'a record that cannot be written fails the call and the change is not made',
      async () => {
        const ns = unique('obx')
        const seq = numbering(ns)
        const sub = subscription(`${ns}s_1`, `${ns}c`, T0)
        await storage().subscriptions.insert(sub)
        const d1 = draft(`${ns}in_1`, `${ns}s_1`, FEB, `${ns}c`)
        const open1 = { ...d1, status: 'open' as const }
        const advance = { ...sub, next_invoice_at: null, revision: 1 }
        await expect(
          invoices().create([{ invoice: open1, final: true, advance }], seq, broken(ns, 'a')),
        ).rejects.toThrow()
        expect(await invoices().get(d1.id)).toBeNull()
        expect(await storage().subscriptions.get(sub.id)).toEqual(sub)
        await invoices().create([{ invoice: d1, final: false }], seq)
        await expect(invoices().finalize(open1, seq, broken(ns, 'b'))).rejects.toThrow()
        expect(await invoices().get(d1.id)).toEqual(d1)
        const oneOff = { ...draft(`${ns}in_2`, `${ns}s_1`, FEB, `${ns}c`), status: 'open' as const }
        await expect(invoices().createOneOff(oneOff, `${ns}k`, seq, broken(ns, 'c'))).rejects.toThrow()
        expect(await invoices().get(oneOff.id)).toBeNull()
        // No number was taken by the failed calls: the sequence is gapless.
        expect(await invoices().finalize(open1, seq)).toMatchObject({ number: `${ns}INV-1` })
        const patch = { status: 'paid' as const, updated_at: LATER, paid_at: LATER }
        await expect(invoices().transition(d1.id, ['open'], patch, broken(ns, 'd'))).rejects.toThrow()
        expect(await invoices().get(d1.id)).toMatchObject({ status: 'open' })
        const py = payment(`${ns}py_1`, `${ns}ref_1`, d1.id, `${ns}c`)
        await expect(storage().payments.create(py, broken(ns, 'e'))).rejects.toThrow()
        expect(await storage().payments.get(py.id)).toBeNull()
        await storage().payments.create(py)
        const next = { ...py, status: 'succeeded' as const, revision: 1 }
        await expect(storage().payments.update(next, broken(ns, 'f'))).rejects.toThrow()
        expect(await storage().payments.get(py.id)).toEqual(py)
        const paused = { ...sub, status: 'paused' as const, revision: 1 }
        await expect(storage().subscriptions.update(paused, broken(ns, 'g'))).rejects.toThrow()
        expect(await storage().subscriptions.get(sub.id)).toEqual(sub)
        expect(await storedKeys(storage(), ns)).toEqual([])
      },
    )
  },
}
