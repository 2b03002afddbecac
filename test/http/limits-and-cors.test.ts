import { afterEach, describe, expect, it, vi } from 'vitest'
import { type HttpFixture, httpFixture } from './http-fixture.js'

describe('rate limiting and CORS', () => {
  let f: HttpFixture | undefined
  afterEach(async () => {
    vi.useRealTimers()
    await f?.close()
  })

  it('answers 429 with Retry-After once a key has spent its burst, per key, and lets it through again later', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    f = await httpFixture('fetch', { api: { rateLimit: { perSecond: 2, burst: 3 } } })
    const meters = (key: string) => f!.send({ path: '/v1/meters', key })
    for (let i = 0; i < 3; i++) expect((await meters(f.keys['usage:read'])).status).toBe(200)
    const limited = await meters(f.keys['usage:read'])
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(await limited.json()).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { retry_after: 1 } },
    })
    // Another key is not affected.
    expect((await meters(f.keys.admin)).status).toBe(200)
    vi.advanceTimersByTime(500)
    expect((await meters(f.keys['usage:read'])).status).toBe(200)
  })

  it('sends no CORS headers unless configured, and answers preflights only for the configured origins', async () => {
    f = await httpFixture('fetch')
    const plain = await f.send({ path: '/v1/meters', headers: { origin: 'https://evil.example' } })
    expect(plain.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await f.send({
      method: 'OPTIONS',
      path: '/v1/events',
      key: null,
      headers: { origin: 'https://app.example.ng' },
    })
    expect(preflight.status).toBe(405)
    await f.close()
    f = await httpFixture('fetch', { api: { cors: { origins: ['https://app.example.ng'] } } })
    const allowed = await f.send({
      method: 'OPTIONS',
      path: '/v1/events',
      key: null,
      headers: { origin: 'https://app.example.ng', 'access-control-request-method': 'POST' },
    })
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.ng')
    const other = await f.send({ path: '/v1/meters', headers: { origin: 'https://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})
