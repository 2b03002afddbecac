import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { apiRoutes } from '../../src/http/routes/index.js'
import { type HttpFixture, httpFixture } from './http-fixture.js'

type Operation = {
  parameters: Array<{ name: string; in: string }>
  requestBody?: unknown
  'x-kobometer-scope'?: string
}
type Document = { paths: Record<string, Record<string, Operation>> }

describe('the OpenAPI document', () => {
  const withFixture = async (run: (f: HttpFixture) => Promise<void>) => {
    const f = await httpFixture('fetch', { api: { basePath: '/billing' } })
    try {
      await run(f)
    } finally {
      await f.close()
    }
  }

  it('is a valid OpenAPI 3.1 document, served at /v1/openapi.json without a key', () =>
    withFixture(async (f) => {
      const response = await f.send({ path: '/billing/v1/openapi.json', key: null })
      expect(response.status).toBe(200)
      const document = await response.json()
      expect(document.openapi).toBe('3.1.0')
      expect(document.servers).toEqual([{ url: '/billing' }])
      const result = await new Validator().validate(document)
      expect(result.errors ?? []).toEqual([])
      expect(result.valid).toBe(true)
    }))

  it('describes exactly the routes the router serves, with their parameters, bodies and scopes', () =>
    withFixture(async (f) => {
      const document = f.api.openApiDocument() as unknown as Document
      const documented = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      )
      const served = f.api.routes.map((route) => `${route.method} ${route.path}`)
      expect(served.sort()).toEqual(documented.sort())
      for (const route of apiRoutes) {
        const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Operation
        const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
        expect(operation.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(pathParameters)
        expect(operation.requestBody !== undefined).toBe(route.body !== undefined)
        expect(operation['x-kobometer-scope']).toBe(route.scope ?? undefined)
      }
    }))

  it('documents each event of a batch in full, though the route checks only the envelope', () =>
    withFixture(async (f) => {
      const document = f.api.openApiDocument() as {
        components: { schemas: Record<string, { required?: string[] }> }
      }
      expect(document.components.schemas.Event?.required).toEqual([
        'event_name',
        'customer_id',
        'idempotency_key',
      ])
    }))

  it('serves the API reference page and its script from the package, with a CSP that allows nothing else', () =>
    withFixture(async (f) => {
      const page = await f.send({ path: '/billing/v1/docs', key: null })
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
      const html = await page.text()
      expect(html).toContain('data-url="/billing/v1/openapi.json"')
      expect(html).toContain('src="/billing/v1/docs/scalar.js"')
      expect(html).not.toMatch(/https?:\/\//)
      const script = await f.send({
        path: '/billing/v1/docs/scalar.js',
        key: null,
        headers: { 'accept-encoding': 'gzip' },
      })
      expect(script.status).toBe(200)
      expect(script.headers.get('content-type')).toMatch(/javascript/)
      expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
    }))
})
