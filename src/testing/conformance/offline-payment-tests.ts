import { describe, expect } from 'vitest'
import { createBilling } from '../../core/billing.js'
import type { Invoice } from '../../core/invoices/types.js'
import { billingFixture } from './billing-fixtures.js'
import type { ConformanceContext } from './context.js'

const JUNE = '2026-06-01'

/** Money received outside the gateways (`payments.recordOffline`), on every storage. */
export function offlinePaymentTests(t: ConformanceContext): void {
  const { it } = t
  describe('offline payments', () => {
    // A ₦5,000 monthly fee billed at the start: subscribing and running gives one open invoice.
    async function openInvoice(label: string): Promise<{ invoice: Invoice; sub: string }> {
      const f = await billingFixture(t, label)
      const plan = await f.plan('fee', {
        name: 'Fee',
        currency: 'NGN',
        interval: 'month',
        fixed_amount: '500000',
      })
      const { customer, sub } = await f.subscribe('a', plan, JUNE)
      const { created } = await f.run(Date.parse(`${JUNE}T00:01:00Z`))
      const invoice = created.find((i) => i.customer_id === customer)!
      expect(invoice).toMatchObject({ status: 'open', amount_due: 500000, amount_paid: 0 })
      return { invoice, sub: sub.id }
    }

    it('a bank transfer for what an open invoice owes pays it: amount_paid equals amount_due and the print owes ₦0.00', async () => {
      const billing = t.billing()
      const { invoice } = await openInvoice('offpay')
      const reference = `${invoice.id}-FT1`
      const payment = await billing.payments.recordOffline({
        invoice_id: invoice.id,
        amount: 500000,
        method: 'bank_transfer',
        reference,
      })
      expect(payment).toMatchObject({
        invoice_id: invoice.id,
        customer_id: invoice.customer_id,
        gateway: 'offline',
        method: 'bank_transfer',
        reference,
        status: 'succeeded',
        amount: 500000,
        currency: 'NGN',
        payment_method_id: null,
      })
      expect(await billing.payments.get(payment.id)).toEqual(payment)
      const paid = await billing.invoices.get(invoice.id)
      expect(paid).toMatchObject({ status: 'paid', amount_due: 500000, amount_paid: 500000 })
      expect(paid.paid_at).not.toBeNull()
      const text = await billing.invoices.render(invoice.id)
      expect(text).toMatch(/Paid\s+-₦5,000\.00/)
      expect(text).toMatch(/Amount due\s+₦0\.00/)
    })

    it('recording a reference again answers the same payment and changes nothing; another invoice or amount under it is a CONFLICT', async () => {
      const billing = t.billing()
      const { invoice } = await openInvoice('offagain')
      const input = {
        invoice_id: invoice.id,
        amount: 500000,
        method: 'bank_transfer',
        reference: `${invoice.id}-R`,
      } as const
      const first = await billing.payments.recordOffline(input)
      const paid = await billing.invoices.get(invoice.id)
      const again = await Promise.all([
        billing.payments.recordOffline(input),
        billing.payments.recordOffline(input),
      ])
      expect(again).toEqual([first, first])
      expect(await billing.invoices.get(invoice.id)).toEqual(paid)
      expect((await billing.payments.list({ invoice_id: invoice.id })).data).toEqual([first])

      const other = await openInvoice('offother')
      const taken = { ...input, invoice_id: other.invoice.id }
      await expect(billing.payments.recordOffline(taken)).rejects.toMatchObject({ code: 'CONFLICT' })
      await expect(billing.payments.recordOffline({ ...input, amount: 1 })).rejects.toMatchObject({
        code: 'CONFLICT',
      })
      expect((await billing.invoices.get(other.invoice.id)).status).toBe('open')
    })

    it('only the exact amount owed by an open or uncollectible invoice is recorded (INVALID_STATE otherwise)', async () => {
      const billing = t.billing()
      const { invoice } = await openInvoice('offstate')
      const base = { invoice_id: invoice.id, method: 'cash', reference: `${invoice.id}-S` } as const
      for (const amount of [499999, 500001]) {
        await expect(billing.payments.recordOffline({ ...base, amount })).rejects.toMatchObject({
          code: 'INVALID_STATE',
        })
      }
      await expect(billing.payments.recordOffline({ ...base, amount: 0 })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { path: 'amount' },
      })
      await expect(
        billing.payments.recordOffline({ ...base, amount: 500000, reference: 'x\u0000' }),
      ).rejects.toMatchObject({ code: 'INVALID_STRING' })
      await billing.invoices.void(invoice.id)
      await expect(billing.payments.recordOffline({ ...base, amount: 500000 })).rejects.toMatchObject({
        code: 'INVALID_STATE',
      })
      expect((await billing.payments.list({ invoice_id: invoice.id })).data).toEqual([])
      await expect(
        billing.payments.recordOffline({ ...base, invoice_id: `${invoice.id}_none`, amount: 1 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })

    it('an offline payment brings a past_due subscription back to active, as a card payment does', async () => {
      const billing = t.billing()
      const storage = t.storage()
      const { invoice, sub } = await openInvoice('offback')
      const record = (await storage.subscriptions.get(sub))!
      expect(
        await storage.subscriptions.update({ ...record, status: 'past_due', revision: record.revision + 1 }),
      ).toBe(true)
      await billing.payments.recordOffline({
        invoice_id: invoice.id,
        amount: 500000,
        method: 'bank_transfer',
        reference: `${invoice.id}-B`,
      })
      expect((await billing.subscriptions.get(sub)).status).toBe('active')
    })

    it('an offline payment is not refunded through a gateway (INVALID_REFUND)', async () => {
      const billing = t.billing()
      const { invoice } = await openInvoice('offrefund')
      const payment = await billing.payments.recordOffline({
        invoice_id: invoice.id,
        amount: 500000,
        method: 'cheque',
        reference: `${invoice.id}-C`,
      })
      await expect(billing.payments.refund({ payment_id: payment.id })).rejects.toMatchObject({
        code: 'INVALID_REFUND',
      })
    })
  })

  describe('tax details on invoices', () => {
    it('customers keep an address and a tax id; update replaces or clears them', async () => {
      const billing = t.billing()
      const id = `${t.unique('taxcus')}c`
      const created = await billing.customers.create({
        id,
        name: 'Adaeze Foods Ltd',
        address: ['12 Allen Avenue', 'Ikeja, Lagos'],
        tax_id: '23456789-0001',
      })
      expect(created).toMatchObject({ address: ['12 Allen Avenue', 'Ikeja, Lagos'], tax_id: '23456789-0001' })
      expect(await billing.customers.get(id)).toEqual(created)
      const moved = await billing.customers.update(id, { address: ['3 Wuse II', 'Abuja'] })
      expect(moved).toMatchObject({ address: ['3 Wuse II', 'Abuja'], tax_id: '23456789-0001' })
      expect(await billing.customers.get(id)).toEqual(moved)
      const cleared = await billing.customers.update(id, { address: null, tax_id: null })
      expect(await billing.customers.get(id)).toEqual(cleared)
      expect(cleared).toMatchObject({ address: null, tax_id: null })
      const plain = await billing.customers.create({ id: `${id}2` })
      expect(plain).toMatchObject({ address: null, tax_id: null })
      await expect(billing.customers.create({ id: `${id}3`, tax_id: '1\u0000' })).rejects.toMatchObject({
        code: 'INVALID_STRING',
        details: { path: 'tax_id' },
      })
      await expect(billing.customers.update(id, { address: [] })).rejects.toMatchObject({
        details: { path: 'address' },
      })
    })

    it('a finalized invoice prints the seller it was issued under and the customer’s address and tax id, whatever the seller is configured as later', async () => {
      const seller = {
        name: 'Kobo Cloud Ltd',
        address: ['1 Marina', 'Lagos Island, Lagos'],
        tax_id: '12345678-0001',
        email: 'billing@kobo.ng',
      }
      const storage = t.storage()
      const before = await createBilling({
        storage,
        clock: () => Date.parse(`${JUNE}T00:01:00Z`),
        seller,
        migrate: false,
      })
      const f = await billingFixture(t, 'seller')
      const plan = await f.plan('fee', {
        name: 'Fee',
        currency: 'NGN',
        interval: 'month',
        fixed_amount: '500000',
      })
      const customer = `${f.ns}vat`
      await f.billing.customers.create({
        id: customer,
        name: 'Adaeze Foods Ltd',
        address: ['12 Allen Avenue', 'Ikeja, Lagos'],
        tax_id: '23456789-0001',
      })
      t.setNow(Date.parse(`${JUNE}T00:00:00Z`))
      await f.billing.subscriptions.create({ customer_id: customer, plan_code: plan, start_at: JUNE })
      const { created } = await before.invoices.run()
      const invoice = created.find((i) => i.customer_id === customer)!
      expect(invoice).toMatchObject({
        status: 'open',
        seller,
        customer_address: ['12 Allen Avenue', 'Ikeja, Lagos'],
        customer_tax_id: '23456789-0001',
      })
      expect(await before.invoices.get(invoice.id)).toEqual(invoice)

      const renamed = { name: 'Kobo Cloud Nigeria Ltd', tax_id: '99999999-0001' }
      const after = await createBilling({ storage, seller: renamed, migrate: false })
      await after.customers.update(customer, { tax_id: '00000000-0000' })
      const text = await after.invoices.render(invoice.id)
      expect(text).toContain('From:')
      for (const line of [
        'Kobo Cloud Ltd',
        '1 Marina',
        'Lagos Island, Lagos',
        'Tax ID: 12345678-0001',
        'billing@kobo.ng',
      ])
        expect(text).toContain(line)
      for (const line of ['Adaeze Foods Ltd', '12 Allen Avenue', 'Ikeja, Lagos', 'Tax ID: 23456789-0001'])
        expect(text).toContain(line)
      expect(text).not.toContain('Kobo Cloud Nigeria')
      expect(text).not.toContain('00000000-0000')
      const html = await after.invoices.render(invoice.id, { format: 'html' })
      expect(html).toContain(
        '<dt>From</dt><dd>Kobo Cloud Ltd<br>1 Marina<br>Lagos Island, Lagos<br>Tax ID: 12345678-0001',
      )
    })
  })
}
