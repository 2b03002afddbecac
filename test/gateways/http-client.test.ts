import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../src/core/errors.js'
import { type FetchLike, HttpClient, type HttpClientOptions } from '../../src/gateways/http-client.js'

const SECRET = 'sk_test_supersecret_0123456789'

type Step = { status: number; text?: string } | Error
function scripted(steps: Step[]) {
  const calls: Array<{ url: string; headers: Record<string, string>; body?: string; method: string }> = []
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers, body: init.body, method: init.method })
    const step = steps.shift() ?? { status: 200, text: '{}' }
    if (step instanceof Error) throw step
    return { status: step.status, text: async () => step.text ?? '{}' }
  }
  return { fetch, calls }
}

function client(fetch: FetchLike, extra: Partial<HttpClientOptions> = {}) {
  const delays: number[] = []
  const c = new HttpClient({
    gateway: 'testpay',
    baseUrl: 'https://api.example.test/',
    secretKey: SECRET,
    mapError: (res) =>
      new GatewayError({
        gateway: 'testpay',
        http_status: res.status,
        code: 'mapped',
        message: String((res.body as { message?: unknown } | undefined)?.message ?? res.status),
        retryable: res.status >= 500 || res.status === 429,
      }),
    fetch,
    sleep: async (ms) => {
      delays.push(ms)
    },
    random: () => 0.5,
    ...extra,
  })
  return { c, delays }
}

describe('HttpClient', () => {
  it('sends the bearer key, JSON and the query, under the base URL', async () => {
    const { fetch, calls } = scripted([{ status: 200, text: '{"ok":true}' }])
    const { c } = client(fetch)
    const res = await c.request({ method: 'POST', path: '/refund', query: { a: 'b c' }, body: { amount: 1 } })
    expect(res).toEqual({ status: 200, body: { ok: true }, attempts: 1 })
    expect(calls[0]).toMatchObject({
      url: 'https://api.example.test/refund?a=b+c',
      method: 'POST',
      body: '{"amount":1}',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
    })
  })

  it('retries 5xx, 429 and network errors with full-jitter exponential backoff', async () => {
    const { fetch, calls } = scripted([
      { status: 502 },
      { status: 429 },
      new TypeError('fetch failed'),
      { status: 200 },
    ])
    const { c, delays } = client(fetch, { maxRetries: 3 })
    const res = await c.request({ method: 'GET', path: '/x' })
    expect(res).toMatchObject({ status: 200, attempts: 4 })
    expect(calls).toHaveLength(4)
    expect(delays).toEqual([125, 250, 500])
  })

  it('caps the backoff window', async () => {
    const { fetch } = scripted([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }])
    const { c, delays } = client(fetch, {
      maxRetries: 3,
      baseDelayMs: 1_000,
      maxDelayMs: 1_500,
      random: () => 0.999,
    })
    await c.request({ method: 'GET', path: '/x' })
    expect(delays).toEqual([999, 1498, 1498])
  })

  it.each([400, 401, 404, 409])('never retries %i and hands it back', async (status) => {
    const { fetch, calls } = scripted([{ status, text: '{"message":"no"}' }])
    const { c } = client(fetch)
    expect(await c.request({ method: 'POST', path: '/x', body: {} })).toMatchObject({ status, attempts: 1 })
    expect(calls).toHaveLength(1)
  })

  it('after the last retry, a 5xx is the mapped error, retryable', async () => {
    const { fetch, calls } = scripted([
      { status: 500 },
      { status: 500 },
      { status: 503, text: '{"message":"down"}' },
    ])
    const error = await client(fetch)
      .c.request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      http_status: 503,
      message: 'testpay: down',
      retryable: true,
      gateway_code: 'mapped',
    })
    expect(calls).toHaveLength(3)
  })

  it('a network error becomes a GatewayError that carries no trace of the thrown error', async () => {
    const cause = Object.assign(new Error(`connect to Bearer ${SECRET} failed`), {
      code: 'ECONNREFUSED',
      key: SECRET,
    })
    const thrown = new TypeError(`fetch failed ${SECRET}`, { cause })
    const { fetch } = scripted([thrown])
    const error = await client(fetch, { maxRetries: 0 })
      .c.request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ gateway_code: 'network_error', http_status: null, retryable: true })
    expect((error as Error).message).toContain('ECONNREFUSED')
    for (const view of [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      String((error as Error).cause),
    ]) {
      expect(view).not.toContain(SECRET)
    }
  })

  it('a thrown message with no code is scrubbed of the key', async () => {
    const { fetch } = scripted([new Error(`bad header Bearer ${SECRET}`)])
    const error = await client(fetch, { maxRetries: 0 })
      .c.request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)
    expect((error as Error).message).toBe('testpay: network error (bad header Bearer [redacted])')
  })

  it('times out each attempt, retryable', async () => {
    const calls: number[] = []
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        calls.push(1)
        init.signal.addEventListener('abort', () => reject(init.signal.reason))
      })
    const error = await client(hang, { timeoutMs: 10, maxRetries: 1 })
      .c.request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ gateway_code: 'timeout', retryable: true, http_status: null })
    expect(calls).toHaveLength(2)
  })

  it('scrubs the key from answers before anyone parses them', async () => {
    const { fetch } = scripted([{ status: 400, text: `{"message":"you sent ${SECRET}"}` }])
    const res = await client(fetch).c.request({ method: 'GET', path: '/x' })
    expect(res.body).toEqual({ message: 'you sent [redacted]' })
  })

  it.each<[string, Step]>([
    ['a 5xx', { status: 503 }],
    ['a network error', new TypeError('fetch failed')],
  ])('never sends a POST again after %s: its outcome is unknown', async (_label, step) => {
    const { fetch, calls } = scripted([step, { status: 200 }])
    const error = await client(fetch)
      .c.request({ method: 'POST', path: '/charge', body: {} })
      .catch((e) => e)
    expect(error).toMatchObject({ retryable: true })
    expect(calls).toHaveLength(1)
  })

  it('never sends a POST again after a timeout', async () => {
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      )
    let sent = 0
    const counting: FetchLike = (url, init) => {
      sent += 1
      return fetch(url, init)
    }
    const error = await client(counting, { timeoutMs: 5 })
      .c.request({ method: 'POST', path: '/charge', body: {} })
      .catch((e) => e)
    expect(error).toMatchObject({ gateway_code: 'timeout', retryable: true })
    expect(sent).toBe(1)
  })

  it('sends a POST again after a 429, which says it was not processed', async () => {
    const { fetch, calls } = scripted([{ status: 429 }, { status: 200, text: '{"ok":true}' }])
    const res = await client(fetch).c.request({ method: 'POST', path: '/charge', body: {} })
    expect(res).toMatchObject({ status: 200, attempts: 2 })
    expect(calls).toHaveLength(2)
  })

  it('scrubs every spelling of the key: any case, percent-encoded, unprefixed, in part, JSON-escaped', async () => {
    const core = SECRET.slice('sk_test_'.length)
    const encoded = [...SECRET].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')
    const escaped = [...core].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    const echoes = [
      SECRET.toUpperCase(),
      encoded,
      encodeURIComponent(SECRET),
      core,
      core.slice(3, -3),
      escaped,
    ]
    const text = JSON.stringify({ message: `key: ${echoes.slice(0, -1).join(' / ')}` }).replace(
      /}$/,
      `,"e":"${escaped}"}`,
    )
    const { fetch } = scripted([{ status: 401, text }])
    const res = await client(fetch).c.request({ method: 'GET', path: '/x' })
    const body = res.body as { message: string; e: string }
    expect(body.message).toMatch(/^key: \[redacted\]/)
    for (const value of [body.message, body.e]) {
      expect(value.toLowerCase()).not.toContain(core.slice(0, 8).toLowerCase())
      expect(value.toLowerCase()).not.toContain(core.slice(-8).toLowerCase())
    }
  })
})
