import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

type Fakes = typeof import('../../src/testing/fakes/index.js')
type Testing = typeof import('../../src/testing/index.js')
type Paystack = typeof import('../../src/gateways/paystack/index.js')

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
}
const load = async <T>(file: string) => (await import(pathToFileURL(join(root, file)).href)) as T

/** Every bare module a built file loads, following its relative imports (ESM) or requires (CJS). */
function bareImports(entry: string): Set<string> {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)["']([^"']+)["']/g
  const seen = new Set<string>()
  const bare = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(pattern)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!))
      else bare.add(specifier!)
    }
  }
  visit(join(root, entry))
  return bare
}

describe('kobometer/testing/fakes', () => {
  it.each(['dist/testing/fakes.js', 'dist/testing/fakes.cjs'])(
    '%s loads only Node built-ins and kobometer’s own dependencies, never a test runner',
    (file) => {
      const allowed = new Set([...builtinModules, ...Object.keys(pkg.dependencies)])
      const loaded = [...bareImports(file)].map((s) => s.replace(/^node:/, ''))
      expect(loaded.filter((s) => !allowed.has(s))).toEqual([])
    },
  )

  it.each(['dist/testing.js', 'dist/testing.cjs'])(
    '%s (the conformance suite) loads vitest and fast-check from the project instead of bundling them',
    (file) => {
      const loaded = bareImports(file)
      expect(loaded).toContain('vitest')
      expect(loaded).toContain('fast-check')
    },
  )

  it('are the same fakes kobometer/testing exports', async () => {
    const fakes = await load<Fakes>('dist/testing/fakes.js')
    const testing = await load<Testing>('dist/testing.js')
    expect(testing.FakePaystack).toBe(fakes.FakePaystack)
    expect(testing.FakeFlutterwave).toBe(fakes.FakeFlutterwave)
  })

  it('let a billing flow charge a card offline through the published gateway', async () => {
    const { FakePaystack } = await load<Fakes>('dist/testing/fakes.js')
    const { paystackGateway } = await load<Paystack>('dist/paystack.js')
    const paystack = new FakePaystack({ secretKey: 'sk_test_offline' })
    const { url, close } = await paystack.start()
    try {
      const gateway = paystackGateway({ secretKey: 'sk_test_offline', baseUrl: url })
      const authorization = paystack.addCard({ email: 'ada@example.com' })
      const result = await gateway.charge({
        reference: 'inv-1',
        amount: 500_000,
        currency: 'NGN',
        email: 'ada@example.com',
        authorization,
      })
      expect(result.status).toBe('succeeded')
      expect(paystack.successfulCharges('inv-1')).toBe(1)
    } finally {
      await close()
    }
  })
})
