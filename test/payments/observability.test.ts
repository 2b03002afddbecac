import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresStorage } from '../../src/adapters/postgres.js'
import { paystackGateway } from '../../src/gateways/paystack/index.js'
import {
  type Billing,
  createBilling,
  type LogFields,
  type Logger,
  type ProgressEvent,
} from '../../src/index.js'
import { expectNoEcho } from '../gateways/conformance-harness.js'
import { memoryTarget, openStorage } from '../support/targets.js'
import { type Fakes, invoicesOf, JAN, PAYSTACK_KEY, startFakes, subscribed } from './payment-fixture.js'

interface Entry {
  level: keyof Logger
  message: string
  fields: LogFields | undefined
}

function capturingLogger(): { logger: Logger; entries: Entry[] } {
  const entries: Entry[] = []
  const at =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      entries.push({ level, message, fields })
    }
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, entries }
}

describe('logger and progress', () => {
  let fakes: Fakes
  beforeAll(async () => {
    fakes = await startFakes()
  })
  afterAll(async () => {
    await fakes?.close()
  })

  async function billingWith(logger: Logger): Promise<{ billing: Billing; setNow(ms: number): void }> {
    let now = JAN
    const { config } = await memoryTarget.fresh()
    const billing = await createBilling({
      storage: await openStorage(config),
      clock: () => now,
      logger,
      gateways: {
        paystack: paystackGateway({
          secretKey: PAYSTACK_KEY,
          baseUrl: fakes.urls.paystack,
          retryDelayMs: { base: 5, max: 20 },
        }),
      },
    })
    return { billing, setNow: (ms) => (now = ms) }
  }

  it('a tick logs the run with its counts, each charge’s outcome and a merchant error, and never a key or an authorization', async () => {
    const { logger, entries } = capturingLogger()
    const { billing, setNow } = await billingWith(logger)
    const card = fakes.paystack.addCard({ email: 'ada@example.com' })
    const { customer } = await subscribed(billing, 'ada', 'paystack', card, 'ada@example.com')
    setNow(JAN + 60_000)
    await billing.tick()
    const [invoice] = await invoicesOf(billing, customer)
    expect(invoice!.status).toBe('paid')
    const messages = entries.map((e) => `${e.level} ${e.message}`)
    expect(messages).toEqual(
      expect.arrayContaining([
        'info invoice run started',
        'info invoice run finished',
        'debug charging',
        'info charge answered',
        'info tick finished',
      ]),
    )
    expect(entries.find((e) => e.message === 'invoice run finished')!.fields).toMatchObject({
      created: 1,
      finalized: 1,
      failed: 0,
    })
    expect(entries.find((e) => e.message === 'charge answered')!.fields).toMatchObject({
      gateway: 'paystack',
      invoice_id: invoice!.id,
      status: 'succeeded',
    })

    const bola = fakes.paystack.addCard({ email: 'bola@example.com' })
    await subscribed(billing, 'bola', 'paystack', bola, 'bola@example.com')
    fakes.paystack.revokeKey()
    try {
      setNow(JAN + 120_000)
      await billing.tick()
    } finally {
      fakes.paystack.restoreKey()
    }
    expect(entries.filter((e) => e.level === 'error').map((e) => e.message)).toEqual([
      'gateway refused the merchant',
      'gateway skipped for the rest of this tick',
    ])
    const everything = JSON.stringify(entries)
    expectNoEcho(everything, PAYSTACK_KEY)
    expect(everything).not.toContain(card)
    expect(everything).not.toContain(bola)
    await billing.close()
  })

  it('invoices.run and tick report progress through onProgress, and a listener or logger that throws breaks nothing', async () => {
    const throwing: Logger = {
      debug: () => {
        throw new Error('logger down')
      },
      info: () => {
        throw new Error('logger down')
      },
      warn: () => {
        throw new Error('logger down')
      },
      error: () => {
        throw new Error('logger down')
      },
    }
    const { billing, setNow } = await billingWith(throwing)
    const card = fakes.paystack.addCard({ email: 'chi@example.com' })
    const { customer } = await subscribed(billing, 'chi', 'paystack', card, 'chi@example.com')
    setNow(JAN + 60_000)
    const events: ProgressEvent[] = []
    const run = await billing.invoices.run({ onProgress: (e) => events.push(e) })
    expect(run.created).toHaveLength(1)
    expect(events).toEqual([
      { phase: 'invoice_subscriptions', done: 1 },
      { phase: 'settle_drafts', done: 0 },
    ])
    const ticked: ProgressEvent[] = []
    await billing.tick({
      onProgress: (e) => {
        ticked.push(e)
        throw new Error('listener down')
      },
    })
    expect(ticked.at(-1)).toEqual({ phase: 'collect_invoices', done: 1 })
    expect(ticked.map((e) => e.phase)).toContain('invoice_subscriptions')
    expect((await invoicesOf(billing, customer))[0]!.status).toBe('paid')
    await expect(billing.invoices.run({ onProgress: 'x' as never })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { path: 'onProgress' },
    })
    await billing.close()
  })

  it('createBilling refuses a logger without debug, info, warn and error, and a seller that is not valid', async () => {
    const { config } = await memoryTarget.fresh()
    const storage = await openStorage(config)
    await expect(createBilling({ storage, logger: console.log as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      details: { path: 'logger' },
    })
    await expect(createBilling({ storage, seller: { name: '' } })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      details: { path: 'seller.name' },
    })
    await expect(createBilling({ storage, seller: { name: 'A\u0000' } })).rejects.toMatchObject({
      code: 'INVALID_STRING',
      details: { path: 'seller.name' },
    })
    await expect(createBilling({ storage, seller: { name: 'A', vat: 'x' } as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      details: { path: 'seller.vat' },
    })
  })

  it('a storage retry after a lost connection is logged as a warning, without the connection’s password', async () => {
    const password = 'kobometer-log-5ecret-pw'
    const { logger, entries } = capturingLogger()
    const storage = postgresStorage({ connectionString: `postgres://postgres:${password}@127.0.0.1:1/test` })
    const billing = await createBilling({ storage, logger, migrate: false })
    await expect(billing.customers.get('cus_1')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
    const retries = entries.filter((e) => e.message === 'storage retry')
    expect(retries.length).toBeGreaterThan(0)
    expect(retries[0]).toMatchObject({
      level: 'warn',
      fields: { storage: 'postgres', attempt: 1, error: 'ECONNREFUSED' },
    })
    expect(JSON.stringify(entries)).not.toContain(password)
    await billing.close()
  })
})
