import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiRoutes } from '../../src/http/routes/index.js'
import { API_KEY_SCOPES } from '../../src/index.js'
import { type HttpFixture, httpFixture, NOW } from './http-fixture.js'

const guarded = apiRoutes.filter((route) => route.scope !== null)
const pathOf = (path: string) => path.replace(/\{(\w+)\}/g, 'x')

describe('API keys on the HTTP API', () => {
  let f: HttpFixture
  beforeAll(async () => {
    f = await httpFixture('fetch')
  })
  afterAll(() => f.close())

  const send = (method: string, path: string, key: string | null, headers: Record<string, string> = {}) =>
    f.send({ method, path: pathOf(path), key, headers, ...(method === 'POST' ? { json: {} } : {}) })

  it.each(guarded.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: 403 for every scope but its own and admin, never for those',
    async (_, route) => {
      for (const scope of API_KEY_SCOPES) {
        const response = await send(route.method, route.path, f.keys[scope])
        const body = await response.json()
        if (scope === route.scope || scope === 'admin') expect(response.status).not.toBe(403)
        else {
          expect(response.status).toBe(403)
          expect(body).toEqual({
            error: {
              code: 'FORBIDDEN',
              message: expect.stringContaining(route.scope ?? ''),
              details: { scope: route.scope },
            },
          })
        }
      }
    },
  )

  it.each(guarded.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: 401 without a key, with a malformed one, with an unknown one',
    async (_, route) => {
      for (const key of [
        null,
        'Bearer ',
        'Bearer kbm_sk_nope',
        `Bearer kbm_sk_${'A'.repeat(43)}`,
        'Basic dXNlcjpwYXNz',
      ]) {
        const response = await send(
          route.method,
          route.path,
          null,
          key === null ? {} : { authorization: key },
        )
        expect(response.status).toBe(401)
        expect((await response.json()).error.code).toBe('UNAUTHENTICATED')
      }
    },
  )

  it('refuses a revoked key at once and an expired key from its expiry, saying which', async () => {
    const key = await f.billing.apiKeys.create({
      name: 'short',
      scopes: ['usage:read'],
      expires_at: NOW + 60_000,
    })
    const meters = () => f.send({ path: '/v1/meters', key: key.secret })
    expect((await meters()).status).toBe(200)
    f.setNow(NOW + 60_000)
    expect(await (await meters()).json()).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'the API key has expired' },
    })
    f.setNow(NOW)
    await f.billing.apiKeys.revoke(key.id)
    expect(await (await meters()).json()).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'the API key was revoked' },
    })
  })

  it('serves the OpenAPI document and the reference page without a key', async () => {
    expect((await f.send({ path: '/v1/openapi.json', key: null })).status).toBe(200)
    expect((await f.send({ path: '/v1/docs', key: null })).status).toBe(200)
  })
})
