import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

type Root = typeof import('../../src/index.js')

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const gatewayFailure = {
  gateway: 'paystack',
  http_status: 401,
  code: 'unauthorized',
  message: 'Invalid key',
  retryable: false,
  merchant: true,
}

// An app that imports kobometer from ESM and requires it from CommonJS (directly or through a
// dependency) holds both builds, so two copies of every error class.
describe('errors across the ESM and CommonJS builds in one process', () => {
  let esm: Root
  let cjs: Root

  beforeAll(async () => {
    esm = (await import(pathToFileURL(join(root, 'dist/index.js')).href)) as Root
    cjs = createRequire(import.meta.url)(join(root, 'dist/index.cjs')) as Root
    expect(esm.BillingError).not.toBe(cjs.BillingError)
  })

  it('an error of either build is an instance of the other build’s BillingError', () => {
    expect(new cjs.ValidationError('INVALID_AMOUNT', 'x')).toBeInstanceOf(esm.BillingError)
    expect(new esm.ValidationError('INVALID_AMOUNT', 'x')).toBeInstanceOf(cjs.BillingError)
    expect(new cjs.BillingError('INTERNAL_ERROR', 'x')).toBeInstanceOf(esm.BillingError)
  })

  it('subclasses match across builds and stay apart from each other', () => {
    const fromCjs = new cjs.GatewayError(gatewayFailure)
    expect(fromCjs).toBeInstanceOf(esm.GatewayError)
    expect(fromCjs instanceof esm.ValidationError).toBe(false)
    expect(new esm.NotFoundError('gone') instanceof cjs.NotFoundError).toBe(true)
    expect(new esm.NotFoundError('gone') instanceof cjs.ConflictError).toBe(false)
    expect(
      new cjs.SignatureVerificationError('paystack', 'bad') instanceof esm.SignatureVerificationError,
    ).toBe(true)
  })

  it('every error class keeps its own name in both builds (error.name, logs, JSON)', () => {
    for (const build of [esm, cjs]) {
      expect(new build.BillingError('INTERNAL_ERROR', 'x').name).toBe('BillingError')
      expect(new build.ValidationError('INVALID_AMOUNT', 'x').name).toBe('ValidationError')
      expect(new build.NotFoundError('gone').name).toBe('NotFoundError')
      expect(new build.ConflictError('taken').name).toBe('ConflictError')
      expect(new build.GatewayError(gatewayFailure).name).toBe('GatewayError')
      expect(new build.SignatureVerificationError('paystack', 'bad').name).toBe('SignatureVerificationError')
      expect(new build.ValidationError('INVALID_AMOUNT', 'x').toJSON().name).toBe('ValidationError')
    }
  })

  it('anything else is not a BillingError', () => {
    for (const value of [new Error('x'), { code: 'NOT_FOUND' }, null, undefined, 'NOT_FOUND', 42]) {
      expect(value instanceof esm.BillingError).toBe(false)
      expect(value instanceof cjs.BillingError).toBe(false)
    }
  })

  it('a subclass of your own is checked the ordinary way', () => {
    class QuotaError extends esm.BillingError {}
    const quota = new QuotaError('CONFLICT', 'over quota')
    expect(quota).toBeInstanceOf(QuotaError)
    expect(quota).toBeInstanceOf(cjs.BillingError)
    expect(new esm.BillingError('CONFLICT', 'x') instanceof QuotaError).toBe(false)
    expect(quota.name).toBe('QuotaError')
  })
})
