import { join } from 'node:path'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { paystackGateway } from '../src/gateways/paystack/index.js'
import { type Billing, createBilling, formatMoney } from '../src/index.js'
import { FakePaystack } from '../src/testing/fakes/index.js'
import { printNotices } from './notices.js'

const number = new Intl.NumberFormat('en-NG')
const DAY = 86_400_000
// January 2027 in Lagos (UTC+1).
const START = Date.UTC(2026, 11, 31, 23)

/** Sends one day of a customer's calls, a batch per hour; answers what was accepted and refused. */
async function oneDay(billing: Billing, customer: string, day: number, calls: number) {
  let accepted = 0
  let refused = 0
  const perHour = Math.ceil(calls / 24)
  for (let hour = 0; hour < 24; hour++) {
    const at = START + day * DAY + hour * 3_600_000
    const events = Array.from({ length: perHour }, (_, i) => ({
      event_name: 'api_call',
      customer_id: customer,
      idempotency_key: `${customer}:${day}:${hour}:${i}`,
      timestamp: at + i,
    }))
    const r = await billing.events.ingest({ events })
    accepted += r.accepted
    refused += r.results.filter((x) => x.error?.code === 'QUOTA_EXCEEDED').length
  }
  return { accepted, refused }
}

/**
 * Access on the hot path: a customer on a ₦50,000 block of 200,000 calls that pauses when used up
 * runs out mid-month, is refused, buys a top-up through a (local fake) Paystack checkout page, and
 * is served again; another on the same block with overage keeps going and pays the overage.
 */
export async function runAccessDemo(dir: string): Promise<void> {
  const secretKey = 'sk_test_kobometer_access'
  const paystack = new FakePaystack({ secretKey })
  const server = await paystack.start()
  let now = START
  const billing = await createBilling({
    storage: sqliteStorage({ filename: join(dir, 'access.db') }),
    clock: () => now,
    gateways: { paystack: paystackGateway({ secretKey, baseUrl: server.url }) },
    // Delivered by tick() or notifications.deliver(): here after each day of traffic.
    notifications: { handler: printNotices(['cus_zuri'], ['usage.', 'entitlement.']) },
  })
  try {
    await billing.meters.create({ code: 'api_calls', event_name: 'api_call', aggregation: 'count' })
    const block = {
      meter: 'api_calls',
      name: 'API calls',
      model: 'prepaid_block',
      block_size: 200_000,
      block_amount: '5000000',
    } as const
    await billing.plans.create({
      code: 'scale_capped',
      name: 'Scale (paused when used up)',
      currency: 'NGN',
      interval: 'month',
      charges: [{ ...block, on_depletion: 'pause' }],
    })
    await billing.plans.create({
      code: 'scale_overage',
      name: 'Scale (overage at ₦0.30)',
      currency: 'NGN',
      interval: 'month',
      charges: [{ ...block, on_depletion: 'overage', overage_unit_amount: '30' }],
    })
    for (const [id, plan] of [
      ['cus_zuri', 'scale_capped'],
      ['cus_tola', 'scale_overage'],
    ] as const) {
      await billing.customers.create({ id, email: `billing@${id.slice(4)}.ng`, timezone: 'Africa/Lagos' })
      await billing.subscriptions.create({ customer_id: id, plan_code: plan, start_at: '2027-01-01' })
    }
    // Tell the host when a capped customer is at 80% and 100% of the block.
    await billing.alerts.create({
      meter: 'api_calls',
      plan_code: 'scale_capped',
      thresholds: [{ percent: 80 }, { percent: 100 }],
    })
    // The blocks are billed in advance; both pay January's by bank transfer.
    const opening = await billing.invoices.run()
    for (const invoice of opening.created) {
      await billing.payments.recordOffline({
        invoice_id: invoice.id,
        amount: invoice.amount_due,
        method: 'bank_transfer',
        reference: `FT-${invoice.customer_id}`,
      })
    }

    let zuri = { accepted: 0, refused: 0 }
    let toppedUp = false
    for (let day = 0; day < 31; day++) {
      now = START + (day + 1) * DAY - 1
      await oneDay(billing, 'cus_tola', day, 7_500)
      if (day >= 22) continue
      const sent = await oneDay(billing, 'cus_zuri', day, 12_000)
      zuri = { accepted: zuri.accepted + sent.accepted, refused: zuri.refused + sent.refused }
      await billing.notifications.deliver()
      if (sent.refused === 0 || toppedUp) continue
      const check = await billing.entitlements.check({ customer_id: 'cus_zuri', meter: 'api_calls' })
      console.log(
        `${day + 1} January: Zuri Maps used the 200,000-call block; ${number.format(sent.refused)} calls refused with QUOTA_EXCEEDED ` +
          `(check: allowed ${check.allowed}, ${check.reason}, ${number.format(check.used)} of ${number.format(check.limit ?? 0)})`,
      )
      const topUp = await billing.topUps.create({ customer_id: 'cus_zuri', meter: 'api_calls', blocks: 1 })
      const link = await billing.checkout.create({
        invoice_id: topUp.id,
        gateway: 'paystack',
        callback_url: 'https://zuri.example.ng/billing/paid',
      })
      console.log(
        `  top-up ${topUp.number} for ${formatMoney(topUp.total, topUp.currency)}: no card on file, checkout page ${link.url}`,
      )
      await paystack.completeCheckout(link.reference)
      const paid = await billing.checkout.verify({ reference: link.reference })
      const after = await billing.entitlements.check({ customer_id: 'cus_zuri', meter: 'api_calls' })
      console.log(
        `  paid on the page (${paid.status}), card kept as default; check: allowed ${after.allowed}, ` +
          `${number.format(after.remaining ?? 0)} calls left of ${number.format(after.limit ?? 0)}`,
      )
      await billing.notifications.deliver()
      toppedUp = true
    }
    console.log(
      `January: Zuri Maps sent ${number.format(zuri.accepted + zuri.refused)} calls, ${number.format(zuri.accepted)} served, ` +
        `${number.format(zuri.refused)} refused while paused`,
    )

    now = START + 31 * DAY + 2 * 3_600_000
    const { finalized } = (await billing.tick()).invoices
    for (const invoice of finalized.filter((i) => i.customer_id === 'cus_tola' && i.period_end !== null)) {
      const overage = invoice.lines.find((l) => l.type === 'usage')
      if (overage === undefined || overage.amount === 0) continue
      console.log(
        `Tola Logistics kept going past the block: ${number.format(Number(overage.quantity))} calls in January, ` +
          `overage ${formatMoney(overage.amount, invoice.currency)} on ${invoice.number}`,
      )
    }
    console.log(`\nThe access demo's code: demo/access.ts\n`)
  } finally {
    await billing.close()
    await server.close()
  }
}
