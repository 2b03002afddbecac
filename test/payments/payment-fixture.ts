import type { Storage } from '../../src/core/ports/index.js'
import { flutterwaveGateway } from '../../src/gateways/flutterwave/index.js'
import { paystackGateway } from '../../src/gateways/paystack/index.js'
import { type Billing, createBilling, type Invoice } from '../../src/index.js'
import { FakeFlutterwave, FakePaystack } from '../../src/testing/fakes/index.js'
import { openStorage, type StoreConfig, type Target } from '../support/targets.js'

export const PAYSTACK_KEY = 'sk_test_kobometer_fixture_5ecret'
export const FLW_KEY = 'FLWSECK_TEST-kobometer-fixture-5ecret-X'
export const FLW_HASH = 'kobometer-fixture-hash'
export const JAN = Date.UTC(2027, 0, 1)
export const DAY = 86_400_000

/** Both fake gateways, started on loopback. */
export interface Fakes {
  paystack: FakePaystack
  flutterwave: FakeFlutterwave
  urls: { paystack: string; flutterwave: string }
  close(): Promise<void>
}

/**
 * Starts a fake Paystack and a fake Flutterwave.
 *
 * @example
 * const fakes = await startFakes()
 */
export async function startFakes(): Promise<Fakes> {
  const paystack = new FakePaystack({ secretKey: PAYSTACK_KEY })
  const flutterwave = new FakeFlutterwave({ secretKey: FLW_KEY, secretHash: FLW_HASH })
  const p = await paystack.start()
  const f = await flutterwave.start()
  return {
    paystack,
    flutterwave,
    urls: { paystack: p.url, flutterwave: f.url },
    close: async () => {
      await p.close()
      await f.close()
    },
  }
}

/**
 * A billing instance on `config` charging through the fakes, with fast client retries and a clock
 * the test moves; `wrapStorage` may stand between it and its storage (to inject a fault).
 *
 * @example
 * const { billing, setNow } = await billingOn(config, fakes.urls)
 */
export async function billingOn(
  config: StoreConfig,
  urls: Fakes['urls'],
  options: { migrate?: boolean; timeoutMs?: number; wrapStorage?: (storage: Storage) => Storage } = {},
): Promise<{ billing: Billing; setNow: (ms: number) => void; now: () => number }> {
  let now = JAN
  const retryDelayMs = { base: 5, max: 20 }
  const storage = await openStorage(config)
  const billing = await createBilling({
    storage: options.wrapStorage?.(storage) ?? storage,
    clock: () => now,
    migrate: options.migrate ?? true,
    gateways: {
      paystack: paystackGateway({
        secretKey: PAYSTACK_KEY,
        baseUrl: urls.paystack,
        timeoutMs: options.timeoutMs ?? 2000,
        retryDelayMs,
      }),
      flutterwave: flutterwaveGateway({
        secretKey: FLW_KEY,
        secretHash: FLW_HASH,
        baseUrl: urls.flutterwave,
        timeoutMs: options.timeoutMs ?? 2000,
        retryDelayMs,
      }),
    },
  })
  const setNow = (ms: number) => {
    now = ms
  }
  return { billing, setNow, now: () => now }
}

/**
 * A plan with a ₦5,000 monthly fee (billed at the start) and a customer subscribed from Jan 1 who
 * pays with `authorization` at `gateway`. Returns the customer id and the opening invoice after a
 * `tick`-free `invoices.run`.
 *
 * @example
 * const { customer } = await subscribed(billing, 'run1', 'paystack', auth, 'ada@example.com')
 */
export async function subscribed(
  billing: Billing,
  ns: string,
  gateway: 'paystack' | 'flutterwave',
  authorization: string | null,
  email: string,
): Promise<{ customer: string; subscription: string }> {
  const plan = `${ns}_plan`
  await billing.plans.create({
    code: plan,
    name: 'Fee',
    currency: 'NGN',
    interval: 'month',
    fixed_amount: '500000',
  })
  const customer = `${ns}_cus`
  await billing.customers.create({ id: customer, email })
  if (authorization !== null) {
    await billing.paymentMethods.attach(
      gateway === 'paystack'
        ? { customer_id: customer, gateway, authorization_code: authorization, email }
        : { customer_id: customer, gateway, token: authorization, email },
    )
  }
  const sub = await billing.subscriptions.create({ customer_id: customer, plan_code: plan, start_at: JAN })
  return { customer, subscription: sub.id }
}

/** The invoices of a customer, oldest first. */
export async function invoicesOf(billing: Billing, customer_id: string): Promise<Invoice[]> {
  return (await billing.invoices.list({ customer_id, limit: 100 })).data
}

/**
 * A billing instance on a fresh, empty store of `target`, charging through the fakes; `close`
 * closes it and destroys the store.
 *
 * @example
 * const { billing, setNow, close } = await freshBilling(memoryTarget, fakes.urls)
 */
export async function freshBilling(
  target: Target,
  urls: Fakes['urls'],
  options: Parameters<typeof billingOn>[2] = {},
): Promise<Awaited<ReturnType<typeof billingOn>> & { config: StoreConfig; close(): Promise<void> }> {
  const store = await target.fresh()
  const opened = await billingOn(store.config, urls, options)
  return {
    ...opened,
    config: store.config,
    close: async () => {
      await opened.billing.close()
      await store.destroy()
    },
  }
}

/** The charge reference of an invoice's attempt, as collection derives it. */
export function referenceOf(invoice_id: string, attempt: number): string {
  return `kbm-${invoice_id.replace(/[^A-Za-z0-9]/g, '-')}-${attempt}`
}
