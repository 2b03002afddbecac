import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Storage } from '../../src/core/ports/index.js'
import type { CardBehaviour } from '../../src/testing/fakes/fake-card.js'
import { memoryTarget, sqlTargets } from '../support/targets.js'
import { DAY, type Fakes, freshBilling, invoicesOf, JAN, startFakes, subscribed } from './payment-fixture.js'

// A charge's outcome and its invoice's change are two writes. A process that stops between them
// (killed, its database gone) leaves an outcome its invoice never heard of; the next tick, from any
// process, must finish it as the stopped process would have: without charging again.

/** A storage whose next invoice transition fails once `stop()` is called, as if the process died there. */
function stoppingBeforeTheInvoice() {
  let armed = false
  return {
    stop: () => {
      armed = true
    },
    wrap: (storage: Storage): Storage => {
      const invoices = storage.invoices
      const transition: Storage['invoices']['transition'] = (...args) => {
        if (!armed) return invoices.transition(...args)
        armed = false
        return Promise.reject(new Error('the process stopped here'))
      }
      // Some stores are frozen objects, some class instances: the storage gets a stand-in that
      // answers `transition` itself and hands every other call to the store.
      const standIn = new Proxy({} as Storage['invoices'], {
        get: (_, key) => {
          if (key === 'transition') return transition
          const value: unknown = Reflect.get(invoices, key)
          return typeof value === 'function' ? value.bind(invoices) : value
        },
      })
      Object.defineProperty(storage, 'invoices', { value: standIn })
      return storage
    },
  }
}

for (const target of [memoryTarget, ...sqlTargets]) {
  describe.skipIf(target.skip)(
    `an outcome written but not applied to its invoice on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let fakes: Fakes
      beforeAll(async () => {
        fakes = await startFakes()
      })
      afterAll(async () => {
        await fakes?.close()
      })

      /**
       * A customer paying by a Paystack card that behaves as told, invoiced at JAN + 1 min, on a
       * billing instance whose storage fails its next invoice transition once `fault.stop()` is called.
       */
      async function invoicedCustomer(ns: string, behaviour: CardBehaviour) {
        const fault = stoppingBeforeTheInvoice()
        const opened = await freshBilling(target, fakes.urls, { wrapStorage: fault.wrap })
        const email = `${ns}@example.com`
        const card = fakes.paystack.addCard({ email, behaviour })
        const { customer, subscription } = await subscribed(opened.billing, ns, 'paystack', card, email)
        opened.setNow(JAN + 60_000)
        await opened.billing.invoices.run()
        return { ...opened, fault, customer, subscription }
      }

      it('a success: the next tick settles the invoice once, with no new charge', async () => {
        const { billing, setNow, close, fault, customer, subscription } = await invoicedCustomer(
          'won',
          'approve',
        )
        fault.stop()
        await expect(billing.tick()).rejects.toThrow('the process stopped here')
        const [stuck] = await invoicesOf(billing, customer)
        expect(stuck).toMatchObject({ status: 'open', amount_paid: 0 })
        const [charged] = (await billing.payments.list({ invoice_id: stuck!.id })).data
        expect(charged).toMatchObject({ status: 'succeeded', attempt: 1 })
        const requests = fakes.paystack.chargeRequests()

        setNow(JAN + 120_000)
        const tick = await billing.tick()
        expect(tick.payments.map((p) => [p.id, p.status])).toEqual([[charged!.id, 'succeeded']])
        expect((await invoicesOf(billing, customer))[0]).toMatchObject({
          status: 'paid',
          amount_paid: 500000,
          attempt_count: 1,
        })
        expect((await billing.subscriptions.get(subscription)).status).toBe('active')
        expect(fakes.paystack.chargeRequests()).toBe(requests)
        expect(fakes.paystack.successfulCharges(charged!.reference)).toBe(1)
        const paid = await billing.notifications.list({ type: 'invoice.paid', customer_id: customer })
        expect(paid.data).toHaveLength(1)
        // Nothing is left to do: a later tick neither charges nor reports the payment again.
        expect((await billing.tick()).payments).toEqual([])
        await close()
      })

      it('a success seen by payments.collect: the invoice is settled, not charged again', async () => {
        const { billing, close, fault, customer } = await invoicedCustomer('manual', 'approve')
        const [invoice] = await invoicesOf(billing, customer)
        fault.stop()
        await expect(billing.payments.collect({ invoice_id: invoice!.id })).rejects.toThrow('stopped')
        const requests = fakes.paystack.chargeRequests()
        const payment = await billing.payments.collect({ invoice_id: invoice!.id })
        expect(payment).toMatchObject({ status: 'succeeded', attempt: 1 })
        expect((await invoicesOf(billing, customer))[0]).toMatchObject({
          status: 'paid',
          amount_paid: 500000,
        })
        expect(fakes.paystack.chargeRequests()).toBe(requests)
        await close()
      })

      it('a decline: the next tick schedules its retry and marks the subscription past_due, charging at the retry only', async () => {
        const { billing, setNow, close, fault, customer, subscription } = await invoicedCustomer('lost', {
          kind: 'insufficient_funds_then_approve',
          after: 1,
        })
        fault.stop()
        await expect(billing.tick()).rejects.toThrow('the process stopped here')
        const [stuck] = await invoicesOf(billing, customer)
        expect(stuck).toMatchObject({ status: 'open', attempt_count: 0, next_payment_attempt: null })
        const requests = fakes.paystack.chargeRequests()

        setNow(JAN + 120_000)
        const tick = await billing.tick()
        expect(tick.payments.map((p) => p.status)).toEqual(['failed'])
        expect((await invoicesOf(billing, customer))[0]).toMatchObject({
          status: 'open',
          attempt_count: 1,
          // One day after the decline, as if the stopped process had written it.
          next_payment_attempt: new Date(JAN + 60_000 + DAY).toISOString(),
        })
        expect((await billing.subscriptions.get(subscription)).status).toBe('past_due')
        expect((await billing.tick()).payments).toEqual([])
        expect(fakes.paystack.chargeRequests()).toBe(requests)

        setNow(JAN + 60_000 + DAY)
        expect((await billing.tick()).payments.map((p) => [p.attempt, p.status])).toEqual([[2, 'succeeded']])
        expect((await invoicesOf(billing, customer))[0]).toMatchObject({ status: 'paid', attempt_count: 2 })
        expect((await billing.subscriptions.get(subscription)).status).toBe('active')
        await close()
      })
    },
  )
}
