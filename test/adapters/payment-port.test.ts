import { beforeAll, expect, it } from 'vitest'
import type { Invoice } from '../../src/core/invoices/types.js'
import type { Payment, PaymentMethodRecord } from '../../src/core/payments/types.js'
import type { InvoiceNumbering, Storage } from '../../src/core/ports/index.js'
import { describeOnEveryStorage, draft, ids, NOW } from '../support/port-suite.js'

const LATER = '2026-01-02T00:00:00.000Z'

const method = (id: string, customer_id: string): PaymentMethodRecord => ({
  id,
  customer_id,
  gateway: 'paystack',
  email: `${customer_id}@example.com`,
  card: { last4: '4081', brand: 'visa', exp_month: '12', exp_year: '2030' },
  created_at: NOW,
  metadata: { source: 'checkout' },
  authorization: `AUTH_${id}`,
  detached_at: null,
})

const payment = (id: string, reference: string, invoice_id = 'in_1', customer_id = 'c_1'): Payment => ({
  id,
  invoice_id,
  customer_id,
  payment_method_id: 'pm_1',
  gateway: 'paystack',
  reference,
  attempt: 1,
  status: 'processing',
  amount: 1000,
  currency: 'NGN',
  gateway_id: null,
  failure_message: null,
  amount_refunded: 0,
  refunds: [],
  created_at: NOW,
  updated_at: NOW,
  lease_until: 1_767_225_600_000,
  revision: 0,
})

const numbering: InvoiceNumbering = { sequence: 'INV', format: (n) => `INV-${n}` }

describeOnEveryStorage('payment port', (store) => {
  {
    let storage: Storage
    beforeAll(() => {
      storage = store()
    })

    it('payment methods: insert, get, list a customer’s in id order (detached included), save', async () => {
      for (const [id, customer] of [
        ['pm_2', 'c_1'],
        ['pm_1', 'c_1'],
        ['pm_3', 'c_2'],
        ['pm_4', 'c_1'],
      ] as const)
        await storage.paymentMethods.insert(method(id, customer))
      expect(await storage.paymentMethods.get('pm_1')).toEqual(method('pm_1', 'c_1'))
      expect(await storage.paymentMethods.get('pm_none')).toBeNull()
      await storage.paymentMethods.save({ ...method('pm_2', 'c_1'), detached_at: LATER })
      expect((await storage.paymentMethods.get('pm_2'))?.detached_at).toBe(LATER)
      const listed = await storage.paymentMethods.list('c_1')
      expect(ids(listed)).toEqual(['pm_1', 'pm_2', 'pm_4'])
      expect(listed[1]).toEqual({ ...method('pm_2', 'c_1'), detached_at: LATER })
      expect(ids(await storage.paymentMethods.list('c_2'))).toEqual(['pm_3'])
      expect(await storage.paymentMethods.list('c_none')).toEqual([])
    })

    it('createPayment: once per reference; every call gets the stored payment', async () => {
      const first = await storage.payments.create(payment('py_a1', 'ref_a'))
      expect(first).toEqual({ created: true, payment: payment('py_a1', 'ref_a') })
      const again = await storage.payments.create({ ...payment('py_a2', 'ref_a'), amount: 5 })
      expect(again).toEqual({ created: false, payment: payment('py_a1', 'ref_a') })
      expect(await storage.payments.get('py_a2')).toBeNull()
      expect(await storage.payments.get('py_a1')).toEqual(payment('py_a1', 'ref_a'))
      expect(await storage.payments.getByReference('ref_a')).toEqual(payment('py_a1', 'ref_a'))
      expect(await storage.payments.getByReference('ref_none')).toBeNull()
    })

    it('createPayment: 20 concurrent calls for one reference create exactly one', async () => {
      const racing = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          storage.payments.create(payment(`py_r${String(i).padStart(2, '0')}`, 'ref_race', 'in_race')),
        ),
      )
      expect(racing.filter((r) => r.created)).toHaveLength(1)
      const winner = racing.find((r) => r.created)!.payment
      for (const r of racing) expect(r.payment).toEqual(winner)
      expect(await storage.payments.getByReference('ref_race')).toEqual(winner)
      expect(ids(await storage.payments.list({ invoice_id: 'in_race', limit: 30 }))).toEqual([winner.id])
    })

    it('listPayments: by invoice or customer, in id order, by keyset pages', async () => {
      await storage.payments.create(payment('py_l3', 'ref_l3', 'in_l', 'c_l'))
      await storage.payments.create(payment('py_l1', 'ref_l1', 'in_l', 'c_l'))
      await storage.payments.create(payment('py_l2', 'ref_l2', 'in_m', 'c_l'))
      await storage.payments.create(payment('py_l4', 'ref_l4', 'in_l', 'c_m'))
      expect(ids(await storage.payments.list({ invoice_id: 'in_l', limit: 10 }))).toEqual([
        'py_l1',
        'py_l3',
        'py_l4',
      ])
      expect(ids(await storage.payments.list({ customer_id: 'c_l', limit: 10 }))).toEqual([
        'py_l1',
        'py_l2',
        'py_l3',
      ])
      expect(ids(await storage.payments.list({ invoice_id: 'in_l', customer_id: 'c_l', limit: 10 }))).toEqual(
        ['py_l1', 'py_l3'],
      )
      expect(ids(await storage.payments.list({ customer_id: 'c_l', limit: 2 }))).toEqual(['py_l1', 'py_l2'])
      expect(ids(await storage.payments.list({ customer_id: 'c_l', after: 'py_l2', limit: 2 }))).toEqual([
        'py_l3',
      ])
      expect(ids(await storage.payments.list({ after: 'py_l3', limit: 1 }))).toEqual(['py_l4'])
      expect(await storage.payments.list({ invoice_id: 'in_none', limit: 10 })).toEqual([])
    })

    it('updatePayment: compare-and-set on revision, one of two writers wins', async () => {
      const { payment: base } = await storage.payments.create(payment('py_u1', 'ref_u1'))
      const writers = await Promise.all([
        storage.payments.update({ ...base, status: 'succeeded', gateway_id: 'g_1', revision: 1 }),
        storage.payments.update({ ...base, status: 'failed', failure_message: 'declined', revision: 1 }),
      ])
      expect(writers.filter(Boolean)).toHaveLength(1)
      const stored = await storage.payments.get('py_u1')
      expect(stored?.revision).toBe(1)
      expect(stored?.status).toBe(writers[0] ? 'succeeded' : 'failed')
      expect(await storage.payments.update({ ...base, status: 'pending', revision: 1 })).toBe(false)
      expect(await storage.payments.update({ ...base, revision: 3 })).toBe(false)
      expect(await storage.payments.update({ ...payment('py_none', 'ref_none'), revision: 1 })).toBe(false)
      const refunded = {
        ...stored!,
        amount_refunded: 400,
        refunds: [{ id: 'rf_1', amount: 400, status: 'pending' as const, created_at: LATER }],
        revision: 2,
      }
      expect(await storage.payments.update(refunded)).toBe(true)
      expect(await storage.payments.get('py_u1')).toEqual(refunded)
      expect(await storage.payments.getByReference('ref_u1')).toEqual(refunded)
    })

    it('updateInvoiceStatus merges a collection patch into the stored invoice', async () => {
      const [created] = await storage.invoices.create(
        [{ invoice: draft('in_p1', 's_p'), final: false }],
        numbering,
      )
      expect(created?.created).toBe(true)
      const open = await storage.invoices.finalize({ ...draft('in_p1', 's_p'), status: 'open' }, numbering)
      expect(open?.number).toBe('INV-1')

      const retried = await storage.invoices.transition('in_p1', ['open'], {
        status: 'open',
        updated_at: NOW,
        attempt_count: 1,
        next_payment_attempt: LATER,
      })
      expect(retried).toMatchObject({ status: 'open', attempt_count: 1, next_payment_attempt: LATER })
      const paid = await storage.invoices.transition('in_p1', ['open'], {
        status: 'paid',
        updated_at: LATER,
        amount_paid: 1000,
        paid_at: LATER,
        attempt_count: 2,
        next_payment_attempt: null,
      })
      const expected: Invoice = {
        ...draft('in_p1', 's_p'),
        number: 'INV-1',
        status: 'paid',
        updated_at: LATER,
        amount_paid: 1000,
        paid_at: LATER,
        attempt_count: 2,
        next_payment_attempt: null,
      }
      expect(paid).toEqual(expected)
      expect(await storage.invoices.get('in_p1')).toEqual(expected)
      expect(
        await storage.invoices.transition('in_p1', ['open'], {
          status: 'paid',
          updated_at: LATER,
          amount_paid: 1,
        }),
      ).toBeNull()
      expect((await storage.invoices.get('in_p1'))?.amount_paid).toBe(1000)
    })
  }
})
