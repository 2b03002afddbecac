import { expect } from 'vitest'
import type { PaymentQuery } from '../../core/ports/index.js'
import { LATER, payment } from './port-fixtures.js'
import { ids, type PortSuite } from './port-suite.js'

/**
 * `storage.payments`: `create` once per reference, `get`, `getByReference`, `list` by invoice or
 * customer in id order, and `update` by compare-and-set on `revision`.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [paymentStoreSuite] })
 */
export const paymentStoreSuite: PortSuite = {
  id: 'payments',
  title: 'storage.payments',
  register: ({ storage, unique, test }) => {
    test('payments.create', 'create: once per reference; every call answers the stored payment', async () => {
      const ns = unique('pay')
      const first = payment(`${ns}py_a1`, `${ns}ref_a`)
      expect(await storage().payments.create(first)).toEqual({ created: true, payment: first })
      const again = await storage().payments.create({ ...payment(`${ns}py_a2`, `${ns}ref_a`), amount: 5 })
      expect(again).toEqual({ created: false, payment: first })
      expect(await storage().payments.get(`${ns}py_a2`)).toBeNull()
      expect(await storage().payments.get(`${ns}py_a1`)).toEqual(first)
      expect(await storage().payments.getByReference(`${ns}ref_a`)).toEqual(first)
      expect(await storage().payments.getByReference(`${ns}ref_none`)).toBeNull()
    })

    test(
      'payments.create-race',
      'create: of 20 concurrent calls for one reference exactly one creates',
      async () => {
        const ns = unique('pay')
        const racing = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            storage().payments.create(
              payment(`${ns}py_r${String(i).padStart(2, '0')}`, `${ns}ref`, `${ns}in`),
            ),
          ),
        )
        expect(racing.filter((r) => r.created)).toHaveLength(1)
        const winner = racing.find((r) => r.created)!.payment
        for (const r of racing) expect(r.payment).toEqual(winner)
        expect(await storage().payments.getByReference(`${ns}ref`)).toEqual(winner)
        expect(ids(await storage().payments.list({ invoice_id: `${ns}in`, limit: 30 }))).toEqual([winner.id])
      },
    )

    test(
      'payments.list',
      'list: by invoice or customer, id order, after `after`, at most `limit`',
      async () => {
        const ns = unique('pay')
        for (const [id, invoice, customer] of [
          ['py_3', 'in_l', 'c_l'],
          ['py_1', 'in_l', 'c_l'],
          ['py_2', 'in_m', 'c_l'],
          ['py_4', 'in_l', 'c_m'],
        ] as const)
          await storage().payments.create(
            payment(`${ns}${id}`, `${ns}ref_${id}`, `${ns}${invoice}`, `${ns}${customer}`),
          )
        const list = (query: PaymentQuery) => storage().payments.list(query).then(ids)
        const ours = (...names: string[]) => names.map((n) => `${ns}${n}`)
        expect(await list({ invoice_id: `${ns}in_l`, limit: 10 })).toEqual(ours('py_1', 'py_3', 'py_4'))
        expect(await list({ customer_id: `${ns}c_l`, limit: 10 })).toEqual(ours('py_1', 'py_2', 'py_3'))
        expect(await list({ invoice_id: `${ns}in_l`, customer_id: `${ns}c_l`, limit: 10 })).toEqual(
          ours('py_1', 'py_3'),
        )
        expect(await list({ customer_id: `${ns}c_l`, limit: 2 })).toEqual(ours('py_1', 'py_2'))
        expect(await list({ customer_id: `${ns}c_l`, after: `${ns}py_2`, limit: 2 })).toEqual(ours('py_3'))
        expect(await list({ after: `${ns}py_3`, limit: 1 })).toEqual(ours('py_4'))
        expect(await list({ invoice_id: `${ns}in_none`, limit: 10 })).toEqual([])
      },
    )

    test('payments.update', 'update: compare-and-set on revision; of two writers one wins', async () => {
      const ns = unique('pay')
      const { payment: base } = await storage().payments.create(payment(`${ns}py_u1`, `${ns}ref_u1`))
      const writers = await Promise.all([
        storage().payments.update({ ...base, status: 'succeeded', gateway_id: 'g_1', revision: 1 }),
        storage().payments.update({ ...base, status: 'failed', failure_message: 'declined', revision: 1 }),
      ])
      expect(writers.filter(Boolean)).toHaveLength(1)
      const stored = await storage().payments.get(`${ns}py_u1`)
      expect(stored?.revision).toBe(1)
      expect(stored?.status).toBe(writers[0] ? 'succeeded' : 'failed')
      expect(await storage().payments.update({ ...base, status: 'pending', revision: 1 })).toBe(false)
      expect(await storage().payments.update({ ...base, revision: 3 })).toBe(false)
      expect(
        await storage().payments.update({ ...payment(`${ns}py_none`, `${ns}ref_none`), revision: 1 }),
      ).toBe(false)
      expect(await storage().payments.get(`${ns}py_u1`)).toEqual(stored)
      expect(await storage().payments.get(`${ns}py_none`)).toBeNull()
      const refunded = {
        ...stored!,
        amount_refunded: 400,
        refunds: [
          {
            id: 'rf_1',
            reference: `${ns}ref_u1-r1`,
            idempotency_key: null,
            amount: 400,
            status: 'pending' as const,
            created_at: LATER,
          },
        ],
        revision: 2,
      }
      expect(await storage().payments.update(refunded)).toBe(true)
      expect(await storage().payments.get(`${ns}py_u1`)).toEqual(refunded)
      expect(await storage().payments.getByReference(`${ns}ref_u1`)).toEqual(refunded)
    })
  },
}
