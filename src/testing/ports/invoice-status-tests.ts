import { expect } from 'vitest'
import type { Invoice } from '../../core/invoices/types.js'
import type { InvoiceQuery } from '../../core/ports/index.js'
import { draft, LATER, NOW, numbering } from './port-fixtures.js'
import { ids, type PortSuiteContext } from './port-suite.js'

const FEB = '2026-02-01T00:00:00.000Z'

/**
 * The `storage.invoices` tests of what happens after creation: `updateDraft`, `transition`, `get`
 * and `list`. Part of {@link invoiceStoreSuite}.
 *
 * @example
 * invoiceStatusTests(ctx)
 */
export function invoiceStatusTests({ storage, unique, test }: PortSuiteContext): void {
  /** Stores a draft, finalizes it on the test's sequence, and returns the open invoice. */
  const openInvoice = async (ns: string, id: string, customer_id = `${ns}c`): Promise<Invoice> => {
    const doc = draft(id, `${ns}s_${id}`, FEB, customer_id)
    await storage().invoices.create([{ invoice: doc, final: false }], numbering(ns))
    const open = await storage().invoices.finalize({ ...doc, status: 'open' }, numbering(ns))
    if (open === null) throw new Error(`finalize of the new draft ${id} answered null`)
    return open
  }

  test(
    'invoices.update-draft',
    'updateDraft: replaces a draft; false, changing nothing, once it is not a draft',
    async () => {
      const ns = unique('inv')
      const doc = draft(`${ns}in_d1`, `${ns}s_d`, FEB)
      await storage().invoices.create([{ invoice: doc, final: false }], numbering(ns))
      expect(await storage().invoices.updateDraft({ ...doc, total: 42 })).toBe(true)
      expect(await storage().invoices.updateDraft({ ...doc, total: 42, subtotal: 42 })).toBe(true)
      expect(await storage().invoices.get(doc.id)).toEqual({ ...doc, total: 42, subtotal: 42 })
      const open = await storage().invoices.finalize({ ...doc, status: 'open' }, numbering(ns))
      expect(await storage().invoices.updateDraft({ ...doc, total: 7 })).toBe(false)
      expect(await storage().invoices.get(doc.id)).toEqual(open)
      expect(await storage().invoices.updateDraft(draft(`${ns}none`, `${ns}s_none`))).toBe(false)
      expect(await storage().invoices.get(`${ns}none`)).toBeNull()
    },
  )

  test(
    'invoices.transition',
    'transition: only from a listed status; of concurrent callers one wins',
    async () => {
      const ns = unique('inv')
      const doc = draft(`${ns}in_v`, `${ns}s_v`, FEB)
      await storage().invoices.create([{ invoice: doc, final: false }], numbering(ns))
      const voids = await Promise.all(
        Array.from({ length: 5 }, () =>
          storage().invoices.transition(doc.id, ['draft', 'open'], {
            status: 'void',
            updated_at: LATER,
            voided_at: LATER,
          }),
        ),
      )
      expect(voids.filter((v) => v !== null)).toHaveLength(1)
      const voided = { ...doc, status: 'void', updated_at: LATER, voided_at: LATER }
      expect(voids.find((v) => v !== null)).toEqual(voided)
      expect(await storage().invoices.get(doc.id)).toEqual(voided)
      expect(await storage().invoices.finalize({ ...doc, status: 'open' }, numbering(ns))).toBeNull()
      expect(
        await storage().invoices.transition(`${ns}none`, ['draft'], { status: 'void', updated_at: NOW }),
      ).toBeNull()

      const open = await openInvoice(ns, `${ns}in_p`)
      expect(
        await storage().invoices.transition(open.id, ['draft'], { status: 'void', updated_at: NOW }),
      ).toBeNull()
      const paid = await storage().invoices.transition(open.id, ['open'], { status: 'paid', updated_at: NOW })
      expect(paid).toEqual({ ...open, status: 'paid', updated_at: NOW })
      expect(
        await storage().invoices.transition(open.id, ['open'], { status: 'paid', updated_at: NOW }),
      ).toBeNull()
      expect(await storage().invoices.get(open.id)).toEqual(paid)
    },
  )

  test(
    'invoices.transition-patch',
    'transition: merges a collection patch into the stored invoice',
    async () => {
      const ns = unique('inv')
      const open = await openInvoice(ns, `${ns}in_c`)
      expect(open.number).toBe(numbering(ns).format(1))
      const retried = await storage().invoices.transition(open.id, ['open'], {
        status: 'open',
        updated_at: NOW,
        attempt_count: 1,
        next_payment_attempt: LATER,
      })
      expect(retried).toEqual({ ...open, updated_at: NOW, attempt_count: 1, next_payment_attempt: LATER })
      const paid = await storage().invoices.transition(open.id, ['open'], {
        status: 'paid',
        updated_at: LATER,
        amount_paid: 1000,
        paid_at: LATER,
        attempt_count: 2,
        next_payment_attempt: null,
      })
      const expected: Invoice = {
        ...open,
        status: 'paid',
        updated_at: LATER,
        amount_paid: 1000,
        paid_at: LATER,
        attempt_count: 2,
        next_payment_attempt: null,
      }
      expect(paid).toEqual(expected)
      expect(await storage().invoices.get(open.id)).toEqual(expected)
      expect(
        await storage().invoices.transition(open.id, ['open'], {
          status: 'paid',
          updated_at: LATER,
          amount_paid: 1,
        }),
      ).toBeNull()
      expect((await storage().invoices.get(open.id))?.amount_paid).toBe(1000)
    },
  )

  test(
    'invoices.list',
    'list: id order, by customer, subscription and status, after `after`, at most `limit`',
    async () => {
      const ns = unique('inv')
      for (const [id, customer, sub] of [
        ['in_3', 'c_a', 's_1'],
        ['in_1', 'c_a', 's_2'],
        ['in_4', 'c_b', 's_1'],
        ['in_2', 'c_a', 's_1'],
      ] as const) {
        const doc = draft(
          `${ns}${id}`,
          `${ns}${sub}`,
          `2026-02-0${id.at(-1)}T00:00:00.000Z`,
          `${ns}${customer}`,
        )
        await storage().invoices.create([{ invoice: doc, final: false }], numbering(ns))
      }
      await storage().invoices.finalize(
        { ...draft(`${ns}in_2`, `${ns}s_1`, '2026-02-02T00:00:00.000Z', `${ns}c_a`), status: 'open' },
        numbering(ns),
      )
      const list = (query: InvoiceQuery) => storage().invoices.list(query).then(ids)
      const ours = (...names: string[]) => names.map((n) => `${ns}${n}`)
      expect(await list({ customer_id: `${ns}c_a`, limit: 10 })).toEqual(ours('in_1', 'in_2', 'in_3'))
      expect(await list({ subscription_id: `${ns}s_1`, limit: 10 })).toEqual(ours('in_2', 'in_3', 'in_4'))
      expect(await list({ customer_id: `${ns}c_a`, subscription_id: `${ns}s_1`, limit: 10 })).toEqual(
        ours('in_2', 'in_3'),
      )
      expect(await list({ customer_id: `${ns}c_a`, status: 'draft', limit: 10 })).toEqual(
        ours('in_1', 'in_3'),
      )
      expect(await list({ subscription_id: `${ns}s_1`, status: 'open', limit: 10 })).toEqual(ours('in_2'))
      expect(await list({ customer_id: `${ns}c_a`, limit: 2 })).toEqual(ours('in_1', 'in_2'))
      expect(await list({ customer_id: `${ns}c_a`, after: `${ns}in_2`, limit: 2 })).toEqual(ours('in_3'))
      expect(await list({ after: `${ns}in_3`, limit: 1 })).toEqual(ours('in_4'))
      expect(await list({ customer_id: `${ns}nobody`, limit: 10 })).toEqual([])
      expect(await storage().invoices.get(`${ns}in_1`)).toEqual(
        draft(`${ns}in_1`, `${ns}s_2`, '2026-02-01T00:00:00.000Z', `${ns}c_a`),
      )
      expect(await storage().invoices.get(`${ns}none`)).toBeNull()
    },
  )
}
