import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { entries, internalEntries } from '../../tsup.config.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>
  main: string
  module: string
  types: string
}

const subpathOf = (entry: string) => (entry === 'index' ? '.' : `./${entry}`)
const conditionsFor = (entry: string) => ({
  import: { types: `./dist/${entry}.d.ts`, default: `./dist/${entry}.js` },
  require: { types: `./dist/${entry}.d.cts`, default: `./dist/${entry}.cjs` },
})

describe('package exports', () => {
  it('map exactly the tsup entries, each with ESM, CJS and types', () => {
    const fromTsup = Object.keys(entries).map(subpathOf).sort()
    const fromPackage = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .sort()
    expect(fromPackage).toEqual(fromTsup)
    for (const [entry, source] of Object.entries(entries)) {
      expect(existsSync(join(root, source)), source).toBe(true)
      expect(pkg.exports[subpathOf(entry)]).toEqual(conditionsFor(entry))
    }
    expect([pkg.main, pkg.module, pkg.types]).toEqual([
      './dist/index.cjs',
      './dist/index.js',
      './dist/index.d.ts',
    ])
  })

  it('point at files the build produced', () => {
    for (const entry of Object.keys(entries)) {
      for (const file of Object.values(conditionsFor(entry)).flatMap((c) => Object.values(c))) {
        expect(existsSync(join(root, file)), `${file} (run npm run build)`).toBe(true)
      }
    }
  })
})

describe('built outputs', () => {
  const charge = { model: 'per_unit', unit_amount: '0.2' } as const
  const expected = { amount: 246_913, precise_amount: '246913.4' }

  it('price from the ESM build', async () => {
    const esm = (await import(
      pathToFileURL(join(root, 'dist/index.js')).href
    )) as typeof import('../../src/index.js')
    expect(esm.priceCharge(charge, 1_234_567)).toEqual(expected)
    expect(esm.formatMoney(123_450, 'NGN')).toBe('₦1,234.50')
  })

  it('price from the CommonJS build', () => {
    const require = createRequire(import.meta.url)
    const cjs = require(join(root, 'dist/index.cjs')) as typeof import('../../src/index.js')
    expect(cjs.priceCharge(charge, 1_234_567)).toEqual(expected)
    expect(new cjs.ValidationError('INVALID_AMOUNT', 'x')).toBeInstanceOf(cjs.BillingError)
  })
})

describe('kobometer/storage-kit', () => {
  const helpers = [
    'aggregateDeltas',
    'BUCKET_MS',
    'bucketOf',
    'dedupeBatch',
    'emptyRollup',
    'inShard',
    'mergeRollup',
    'MINUTE_MS',
    'minuteOf',
    'quantityOf',
    'RollupAccumulator',
    'shardHash',
    'shardOf',
  ]

  it('holds the storage helpers, which the root no longer mixes into the user API', async () => {
    const load = async (file: string) =>
      (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>
    const [rootExports, kit] = await Promise.all([load('dist/index.js'), load('dist/storage-kit.js')])
    expect(Object.keys(kit).sort()).toEqual([...helpers].sort())
    expect(helpers.filter((name) => name in rootExports)).toEqual([])
    expect(typeof rootExports.createBilling).toBe('function')
  })
})

describe('kobometer/testing', () => {
  const suites = [
    'apiKeyStoreSuite',
    'customerStoreSuite',
    'dashboardQuerySuite',
    'entitlementStoreSuite',
    'eventStoreSuite',
    'invoiceStoreSuite',
    'meterStoreSuite',
    'notificationStoreSuite',
    'outboxStoreSuite',
    'paymentMethodStoreSuite',
    'paymentStoreSuite',
    'planStoreSuite',
    'sessionStoreSuite',
    'subscriptionStoreSuite',
  ]

  // The ESM build only: vitest refuses to be required, so the CommonJS one cannot load in a test.
  it('dist/testing.js exposes the suite runners and every sub-store suite', async () => {
    const testing = (await import(pathToFileURL(join(root, 'dist/testing.js')).href)) as Record<
      string,
      unknown
    >
    expect(typeof testing.runStorageSuites).toBe('function')
    expect(typeof testing.runStorageConformance).toBe('function')
    for (const name of suites) {
      expect(testing[name], name).toMatchObject({ id: expect.any(String), register: expect.any(Function) })
    }
    const all = testing.portSuites as Array<{ id: string }>
    expect(all.map((s) => s.id).sort()).toEqual([
      'apiKeys',
      'customers',
      'dashboard',
      'entitlements',
      'events',
      'invoices',
      'meters',
      'notifications',
      'outbox',
      'paymentMethods',
      'payments',
      'plans',
      'sessions',
      'subscriptions',
    ])
  })

  it('ships the cross-process worker next to it, built from its source', () => {
    expect(internalEntries).toEqual({
      'testing/storage-worker': 'src/testing/cross-process/storage-worker.ts',
    })
    expect(existsSync(join(root, 'src/testing/cross-process/storage-worker.ts'))).toBe(true)
    expect(existsSync(join(root, 'dist/testing/storage-worker.js')), 'run npm run build').toBe(true)
    expect(Object.keys(pkg.exports)).not.toContain('./testing/storage-worker')
  })
})

describe('kobometer/webhooks', () => {
  const secret = 'whsec_ZXhwb3J0cy10ZXN0LWtleS1vZi1hbi1lbmRwb2ludA=='
  const body = JSON.stringify({
    id: 'ntf_1',
    type: 'invoice.paid',
    created_at: '2026-01-01T00:00:00.000Z',
    customer_id: 'cus_1',
    data: { invoice_id: 'in_1' },
  })

  it('verifies what it signs, from the ESM and the CommonJS build alike', async () => {
    type Webhooks = typeof import('../../src/webhooks/index.js')
    const esm = (await import(pathToFileURL(join(root, 'dist/webhooks.js')).href)) as Webhooks
    const cjs = createRequire(import.meta.url)(join(root, 'dist/webhooks.cjs')) as Webhooks
    for (const build of [esm, cjs]) {
      const headers = build.signWebhook(body, 'ntf_1', secret)
      expect(build.verifyWebhook(body, headers, secret)).toEqual(JSON.parse(body))
      expect(() => build.verifyWebhook(`${body} `, headers, secret)).toThrow(/does not match/)
    }
  })
})
