import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { paystackGateway } from '../src/gateways/paystack/index.js'
import { type Billing, createBilling, formatMoney, type ProgressEvent } from '../src/index.js'
import { FakePaystack } from '../src/testing/fakes/index.js'
import { printNotices } from './notices.js'
import { definePlans } from './plans.js'
import { simulateTraffic } from './traffic.js'

const number = new Intl.NumberFormat('en-NG')
// January 2027 in Lagos (UTC+1): local midnight is 23:00 UTC the day before.
const START = Date.UTC(2026, 11, 31, 23)
const FEB = Date.UTC(2027, 0, 31, 23)

/**
 * The whole cycle on an embedded SQLite file: plans in code, three customers, a month of traffic
 * with retries, `invoices.run`, and the invoices printed as text.
 */
export async function runBillingCycle(): Promise<{ file: string; endedAt: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kobometer-demo-'))
  // A local Paystack on loopback that plays the real API (no network here, no real money).
  const secretKey = 'sk_test_kobometer_demo'
  const paystack = new FakePaystack({ secretKey })
  const server = await paystack.start()
  const file = join(dir, 'billing.db')
  console.log(`Storage: SQLite file ${file} (kept after the demo: open it with any SQLite client)`)
  console.log(
    `Paystack: a local fake at ${server.url} (kobometer/testing/fakes): no network, no real money\n`,
  )
  let now = START
  const billing = await createBilling({
    storage: sqliteStorage({ filename: file }),
    clock: () => now,
    gateways: { paystack: paystackGateway({ secretKey, baseUrl: server.url }) },
    // Bolt's notifications are printed as tick() delivers them.
    notifications: { handler: printNotices(['cus_bolt']) },
    seller: {
      name: 'Kobo Cloud Ltd',
      address: ['1 Marina', 'Lagos Island, Lagos'],
      tax_id: '12345678-0001',
      email: 'billing@kobo.cloud',
    },
  })
  try {
    await definePlans(billing)
    const customers = [
      {
        id: 'cus_acme',
        name: 'Acme Logistics',
        email: 'finance@acme.ng',
        address: ['12 Allen Avenue', 'Ikeja, Lagos'],
        tax_id: '23456789-0001',
        plan: 'starter',
        callsPerDay: 2_000,
        tokensPerCall: 600,
      },
      {
        id: 'cus_bolt',
        name: 'Bolt Pay',
        email: 'ops@boltpay.ng',
        address: ['3 Adeola Odeku Street', 'Victoria Island, Lagos'],
        tax_id: '34567890-0001',
        plan: 'payg',
        callsPerDay: 800,
        tokensPerCall: 0,
      },
      {
        id: 'cus_kora',
        name: 'Kora Health',
        email: 'billing@kora.health',
        address: ['7 Aminu Kano Crescent', 'Wuse II, Abuja'],
        tax_id: '45678901-0001',
        plan: 'scale',
        callsPerDay: 7_200,
        tokensPerCall: 0,
      },
    ]
    for (const c of customers) {
      await billing.customers.create({
        id: c.id,
        name: c.name,
        email: c.email,
        timezone: 'Africa/Lagos',
        address: c.address,
        tax_id: c.tax_id,
      })
      // Bolt's card is short of funds twice before it goes through.
      const behaviour =
        c.id === 'cus_bolt'
          ? { kind: 'insufficient_funds_then_approve' as const, after: 2 }
          : ('approve' as const)
      const first = paystack.firstPayment({ email: c.email, amount: 5000, currency: 'NGN', behaviour })
      await billing.paymentMethods.attachFromTransaction({
        customer_id: c.id,
        gateway: 'paystack',
        reference: first.reference,
      })
      await billing.subscriptions.create({ customer_id: c.id, plan_code: c.plan, start_at: '2027-01-01' })
    }
    const opening = await billing.tick()
    console.log(
      `1 January: ${opening.invoices.created.length} opening invoices (fees billed in advance), ${opening.payments.length} charged through Paystack`,
    )

    const started = performance.now()
    const traffic = await simulateTraffic(
      billing,
      (ms) => {
        now = ms
      },
      customers.map((c) => ({
        customer_id: c.id,
        callsPerDay: c.callsPerDay,
        tokensPerCall: c.tokensPerCall,
      })),
      START,
      31,
    )
    const seconds = (performance.now() - started) / 1000
    console.log(
      `January traffic: ${number.format(traffic.sent)} events sent, ${number.format(traffic.accepted)} stored, ` +
        `${number.format(traffic.duplicates)} retries answered 'duplicate' (${number.format(Math.round(traffic.sent / seconds))} events/s)`,
    )

    const usage = await billing.usage.get({ customer_id: 'cus_acme', meter: 'tokens', from: START, to: FEB })
    console.log(`usage.get: Acme used ${number.format(usage.quantity)} tokens in January`)
    // Back to 31 January, 12:00 Lagos time, to ask what the open period would cost if it closed then.
    now = FEB - 12 * 3_600_000
    const preview = await billing.invoices.preview({ customer_id: 'cus_acme' })
    console.log(
      `invoices.preview on 31 January at noon: Acme's January comes to ${formatMoney(preview.total, preview.currency)} so far (not stored)\n`,
    )

    now = FEB + 10 * 60_000
    const drafts = await billing.invoices.run()
    console.log(`1 February 00:10: ${drafts.created.length} drafts; late events may still land for an hour`)
    now = FEB + 2 * 3_600_000
    const february = await billing.tick({ onProgress: showProgress })
    const finalized = february.invoices.finalized
    console.log(`1 February 02:00: ${finalized.length} invoices finalized and charged\n`)
    await printPayments(billing, february.payments)
    // Dunning: Bolt's card is retried 1 and 3 days after the first failure.
    for (const day of [1, 2, 3]) {
      now = FEB + day * 86_400_000 + 2 * 3_600_000
      const { payments } = await billing.tick()
      await printPayments(billing, payments)
    }
    console.log()

    const late = await billing.events.ingest({
      events: [
        {
          event_name: 'api_call',
          customer_id: 'cus_bolt',
          idempotency_key: 'late-1',
          timestamp: FEB - 60_000,
        },
      ],
    })
    console.log(
      `A January event sent after finalization: ${late.results[0]?.status} (${late.results[0]?.error?.code})\n`,
    )

    for (const invoice of finalized.filter((i) => i.billing_reason === 'subscription_cycle')) {
      console.log(await billing.invoices.render(invoice.id, { format: 'text' }))
      console.log()
    }
    const all = await billing.invoices.list({ limit: 100 })
    console.log('All invoices:')
    for (const i of all.data.sort((a, b) => (a.number ?? '').localeCompare(b.number ?? ''))) {
      console.log(
        `  ${i.number ?? 'draft'}  ${i.customer_id.padEnd(9)}  ${i.billing_reason.padEnd(19)}  ${formatMoney(i.total, i.currency).padStart(14)}  ${i.status}`,
      )
    }
    console.log(
      `\nThe demo's code: demo/billing-cycle.ts (plans in demo/plans.ts, traffic in demo/traffic.ts)`,
    )
    return { file, endedAt: now }
  } finally {
    await billing.close()
    await server.close()
  }
}

// Long steps say how far they are: one line per page of subscriptions, drafts or invoices.
function showProgress(event: ProgressEvent): void {
  console.log(
    `  … ${event.phase.replace(/_/g, ' ')}: ${event.done}${event.total === undefined ? '' : ` of ${event.total}`}`,
  )
}

async function printPayments(billing: Billing, payments: Awaited<ReturnType<Billing['tick']>>['payments']) {
  for (const p of payments) {
    const sub = (await billing.subscriptions.list({ customer_id: p.customer_id })).data[0]
    const day = new Date(Date.parse(p.updated_at) + 3_600_000).toISOString().slice(0, 10)
    const outcome = p.status === 'failed' ? `failed (${p.failure_message})` : p.status
    console.log(
      `  ${day}  ${p.customer_id.padEnd(9)} attempt ${p.attempt}  ${formatMoney(p.amount, p.currency).padStart(12)}  ${outcome.padEnd(30)} subscription ${sub?.status}`,
    )
  }
}
