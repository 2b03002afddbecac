import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryStorage } from '../../adapters/memory/index.js'
import { type Billing, createBilling } from '../billing.js'
import { Decimal } from '../money/decimal.js'
import type { Invoice } from './types.js'

const JAN = Date.UTC(2027, 0, 1)
const FEB = Date.UTC(2027, 1, 1)

const decimalArb = (maxWhole: number, places: number) =>
  fc
    .tuple(fc.nat(maxWhole), fc.nat(10 ** places - 1))
    .map(([whole, frac]) => (frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(places, '0')}`))

describe('the period-end line of a prepaid block', () => {
  let billing: Billing
  let now = JAN
  let seq = 0
  beforeAll(async () => {
    billing = await createBilling({ storage: memoryStorage(), clock: () => now })
  })
  afterAll(() => billing.close())

  // One subscription on a block plan from 1 January, `quantity` used on 2 January, invoiced 2 February.
  async function januaryInvoice(
    block: { block_size: string; block_amount: string; overage_unit_amount: string },
    quantity: string,
  ): Promise<Invoice> {
    const id = `b${++seq}`
    now = JAN
    await billing.meters.create({
      code: `${id}_units`,
      event_name: `${id}_use`,
      aggregation: 'sum',
      property: 'q',
    })
    await billing.plans.create({
      code: `${id}_plan`,
      name: 'Block',
      currency: 'NGN',
      interval: 'month',
      charges: [{ meter: `${id}_units`, model: 'prepaid_block', ...block }],
    })
    await billing.customers.create({ id: `${id}_cus` })
    const sub = await billing.subscriptions.create({ customer_id: `${id}_cus`, plan_code: `${id}_plan` })
    now = JAN + 86_400_000
    await billing.events.ingest({
      events: [
        {
          event_name: `${id}_use`,
          customer_id: `${id}_cus`,
          idempotency_key: `${id}_e`,
          properties: { q: quantity },
        },
      ],
    })
    now = FEB + 86_400_000
    await billing.invoices.run()
    const { data } = await billing.invoices.list({ subscription_id: sub.id })
    return data.find((invoice) => invoice.billing_reason === 'subscription_cycle')!
  }

  it('bills the overage priced and rounded once: 0.5 units for 4.5, 0.45 beyond, 12,028.72 used → 5413', async () => {
    const invoice = await januaryInvoice(
      { block_size: '0.5', block_amount: '4.5', overage_unit_amount: '0.45' },
      '12028.72',
    )
    expect(invoice.lines.find((line) => line.type === 'usage')).toMatchObject({
      quantity: '12028.72',
      amount: 5413,
      precise_amount: '5412.699',
    })
  })

  it('equals round(max(q − block_size, 0) × overage_unit_amount) with an exact precise_amount', async () => {
    await fc.assert(
      fc.asyncProperty(
        decimalArb(100_000, 3).filter((d) => new Decimal(d).greaterThan(0)),
        decimalArb(1_000_000, 4),
        decimalArb(10_000, 4),
        decimalArb(1_000_000, 3),
        async (block_size, block_amount, overage_unit_amount, quantity) => {
          const invoice = await januaryInvoice({ block_size, block_amount, overage_unit_amount }, quantity)
          const exact = Decimal.max(0, new Decimal(quantity).minus(block_size)).times(overage_unit_amount)
          expect(invoice.lines.find((line) => line.type === 'usage')).toMatchObject({
            amount: exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
            precise_amount: exact.toFixed(),
          })
        },
      ),
      { numRuns: 200 },
    )
  })
})
