import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../src/adapters/memory/index.js'
import { type Billing, BillingError, createBilling } from '../../src/index.js'

// The public surface, namespace by namespace: what a host may call on a billing instance.
const SURFACE = {
  events: ['ingest', 'list'],
  meters: ['create', 'get', 'list'],
  usage: ['get', 'series', 'top'],
  customers: ['create', 'get', 'update', 'list', 'search'],
  plans: ['create', 'update', 'get', 'list'],
  catalog: ['sync'],
  subscriptions: ['create', 'get', 'list', 'cancel', 'changePlan'],
  invoices: ['run', 'preview', 'get', 'list', 'void', 'render', 'totals'],
  paymentMethods: ['attach', 'attachFromTransaction', 'list', 'detach'],
  payments: ['collect', 'get', 'list', 'refund', 'recordOffline'],
  webhooks: ['handle'],
  entitlements: ['check', 'reserve', 'release', 'nearLimit'],
  checkout: ['create', 'verify'],
  topUps: ['create'],
  notifications: ['list', 'deliver', 'redeliver'],
  alerts: ['create', 'list', 'get', 'delete'],
  apiKeys: ['create', 'list', 'revoke', 'authenticate'],
  sessions: ['signIn', 'verify', 'verifyCsrf', 'signOut', 'revoke', 'revokeAll', 'list', 'purgeExpired'],
  portal: ['createSession', 'revokeSession'],
}

function calls(billing: Billing): Array<[string, () => Promise<unknown>]> {
  const namespaced = Object.entries(SURFACE).flatMap(([ns, names]) =>
    names.map((name): [string, () => Promise<unknown>] => {
      const fn = (billing as unknown as Record<string, Record<string, (arg: unknown) => Promise<unknown>>>)[
        ns
      ]![name]!
      return [`${ns}.${name}`, () => fn({ customer_id: 'cus_1' })]
    }),
  )
  return [...namespaced, ['tick', () => billing.tick()]]
}

describe('a billing instance', () => {
  it('has every namespace and function of the public API, and nothing else', async () => {
    const billing = await createBilling({ storage: memoryStorage() })
    const shape = Object.fromEntries(
      Object.entries(billing)
        .filter(([, value]) => typeof value === 'object')
        .map(([ns, api]) => [ns, Object.keys(api as object)]),
    )
    expect(shape).toEqual(SURFACE)
    expect(Object.keys(billing).filter((k) => typeof billing[k as keyof Billing] === 'function')).toEqual([
      'tick',
      'close',
    ])
    await billing.close()
  })

  it('refuses every call with CLOSED once closed, and closes its storage once', async () => {
    const storage = memoryStorage()
    let closes = 0
    const close = storage.close.bind(storage)
    storage.close = () => {
      closes++
      return close()
    }
    const billing = await createBilling({ storage })
    await billing.close()
    await billing.close()
    expect(closes).toBe(1)
    for (const [name, call] of calls(billing)) {
      await expect(call(), name).rejects.toMatchObject({ code: 'CLOSED' })
    }
  })

  it('answers a failure that is not a BillingError as INTERNAL_ERROR, keeping its cause', async () => {
    const storage = memoryStorage()
    const failure = new Error('disk on fire')
    storage.meters.list = () => Promise.reject(failure)
    const billing = await createBilling({ storage })
    const error = await billing.meters.list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BillingError)
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', message: 'unexpected failure: disk on fire' })
    expect((error as BillingError).cause).toBe(failure)
    await billing.close()
  })

  it('rejects invalid arguments of every function as BillingErrors, never throwing synchronously', async () => {
    const billing = await createBilling({ storage: memoryStorage() })
    for (const [name, call] of calls(billing)) {
      let settled: Promise<unknown>
      expect(() => {
        settled = call()
      }, name).not.toThrow()
      const outcome = await settled!.then(
        () => null,
        (e: unknown) => e,
      )
      if (outcome !== null) expect(outcome, name).toBeInstanceOf(BillingError)
    }
    await billing.close()
  })
})
