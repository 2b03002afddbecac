import { type Billing, createBilling } from '../../core/billing.js'
import type { Invoice } from '../../core/invoices/types.js'
import type { Notification } from '../../core/notifications/types.js'
import { paystackGateway } from '../../gateways/paystack/paystack-gateway.js'
import type { CardBehaviour } from '../fakes/fake-card.js'
import { FakePaystack } from '../fakes/paystack-server.js'
import type { ConformanceContext } from './context.js'

/** A customer on a ₦5,000 monthly plan paying by a fake Paystack card, and its first invoice. */
export interface LifecycleCustomer {
  customer: string
  subscription: string
  invoice: Invoice
}

/**
 * A billing instance on the suite's storage with its own clock, taking payments through a fake
 * Paystack, dunning once a day after the first decline (`retryDays: [1]`) and pausing after the
 * last. It is never closed: closing would close the suite's storage.
 */
export interface LifecycleHarness {
  billing: Billing
  paystack: FakePaystack
  now(): number
  advance(ms: number): void
  /** A new customer of this test with a card of `behaviour`, subscribed now and invoiced. */
  subscribed(label: string, behaviour: CardBehaviour): Promise<LifecycleCustomer>
  /** The customer's notifications, oldest first. */
  notificationsOf(customer: string): Promise<Notification[]>
  /** Hands a signed Paystack event to `webhooks.handle`, as the host's route would. */
  deliver(event: unknown): Promise<{ status: string }>
  /** Stops the fake gateway. */
  close(): Promise<void>
}

/**
 * Starts a lifecycle harness at `start`.
 *
 * @example
 * const h = await lifecycleHarness(t, 'cycle', Date.UTC(2026, 8, 1))
 * const { invoice } = await h.subscribed('a', 'approve')
 */
export async function lifecycleHarness(
  t: ConformanceContext,
  label: string,
  start: number,
): Promise<LifecycleHarness> {
  let now = start
  const ns = t.unique(label)
  const paystack = new FakePaystack({ secretKey: 'sk_test_kbm_lifecycle_4b7c2e', now: () => now })
  const server = await paystack.start()
  const billing = await createBilling({
    storage: t.storage(),
    clock: () => now,
    migrate: false,
    dunning: { retryDays: [1], afterFinalFailure: 'pause' },
    gateways: {
      paystack: paystackGateway({
        secretKey: paystack.secretKey,
        baseUrl: server.url,
        retryDelayMs: { base: 1, max: 5 },
      }),
    },
  })
  const plan = `${ns}monthly`
  await billing.plans.create({
    code: plan,
    name: 'Monthly',
    currency: 'NGN',
    interval: 'month',
    fixed_amount: '500000',
  })
  const notificationsOf = async (customer_id: string) =>
    (await billing.notifications.list({ customer_id, limit: 100 })).data
  return {
    billing,
    paystack,
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    async subscribed(name, behaviour) {
      const customer = `${ns}${name}`
      const email = `${name}@example.ng`
      await billing.customers.create({ id: customer, name: `Customer ${name}`, email })
      const authorization_code = paystack.addCard({ email, behaviour })
      await billing.paymentMethods.attach({
        customer_id: customer,
        gateway: 'paystack',
        authorization_code,
        email,
      })
      const sub = await billing.subscriptions.create({ customer_id: customer, plan_code: plan })
      await billing.invoices.run()
      const [invoice] = (await billing.invoices.list({ customer_id: customer })).data
      if (invoice === undefined) throw new Error(`no first invoice for ${customer}`)
      return { customer, subscription: sub.id, invoice }
    },
    notificationsOf,
    async deliver(event) {
      const { rawBody, headers } = paystack.signedWebhook(event)
      return billing.webhooks.handle({ gateway: 'paystack', raw_body: rawBody, headers })
    },
    close: () => server.close(),
  }
}
