// A browser-less dashboard client for the bench: signs in as a browser would (the sign-in page's
// CSRF field and cookie, then the form), times page loads, and holds live (SSE) streams open.
import { request as httpRequest } from 'node:http'
import { hrtime } from 'node:process'
import type { BenchServer } from './http-servers.js'

function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';')
    const at = pair.indexOf('=')
    cookies.set(pair.slice(0, at), pair.slice(at + 1))
  }
  return cookies
}

/**
 * Signs in with the server's admin key and answers the `cookie` header of the session.
 * @example const cookie = await signIn(server); await fetch(`${server.url}/dashboard`, { headers: { cookie } })
 */
export async function signIn(server: BenchServer): Promise<string> {
  const page = await fetch(`${server.url}/dashboard/sign-in`)
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  const nonce = cookiesOf(page).get('kbm_signin') ?? ''
  const posted = await fetch(`${server.url}/dashboard/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kbm_signin=${nonce}` },
    body: new URLSearchParams({ csrf, key: server.authorization.replace(/^Bearer /, '') }).toString(),
    redirect: 'manual',
  })
  const session = cookiesOf(posted).get('kbm_session')
  if (posted.status !== 303 || session === undefined)
    throw new Error(`dashboard sign-in: status ${posted.status}, no session cookie`)
  return `kbm_session=${session}`
}

/**
 * Loads `paths` one after another (each a fresh page load, the next sent when the last ended), but
 * stops early once `budgetMs` is spent and at least `atLeast` loaded (pages of seconds would take
 * a round for hours), and answers each load's time in ms, ascending. Throws unless every page
 * answered 200.
 * @example const ms = await pageLoads(server, cookie, Array(200).fill('/dashboard'), { budgetMs: 20_000, atLeast: 20 })
 */
export async function pageLoads(
  server: BenchServer,
  cookie: string,
  paths: string[],
  limits: { budgetMs: number; atLeast: number },
): Promise<Float64Array> {
  const took: number[] = []
  const start = performance.now()
  for (const path of paths) {
    if (took.length >= limits.atLeast && performance.now() - start > limits.budgetMs) break
    const t0 = hrtime.bigint()
    const response = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' })
    await response.arrayBuffer()
    took.push(Number(hrtime.bigint() - t0) / 1e6)
    if (response.status !== 200) throw new Error(`GET ${path}: status ${response.status}`)
  }
  return Float64Array.from(took).sort()
}

/** Open live streams: how many messages they received, and a way to close them all. */
export interface LiveStreams {
  /** `event:` lines received so far, over every stream. */
  messages(): number
  close(): void
}

/**
 * Opens one SSE stream per path, each on its own connection as separate browser tabs would, and
 * resolves once every stream answered 200.
 * @example const live = await openLiveStreams(server, cookie, Array(50).fill('/dashboard/live')); live.close()
 */
export async function openLiveStreams(
  server: BenchServer,
  cookie: string,
  paths: string[],
): Promise<LiveStreams> {
  const { hostname, port } = new URL(server.url)
  let messages = 0
  const requests = paths.map((path) =>
    httpRequest({ hostname, port, path, headers: { cookie }, agent: false }),
  )
  await Promise.all(
    requests.map(
      (req, i) =>
        new Promise<void>((resolve, reject) => {
          req.on('error', (error) => reject(error))
          req.on('response', (res) => {
            if (res.statusCode !== 200) reject(new Error(`GET ${paths[i]}: status ${res.statusCode}`))
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => {
              messages += chunk.split('event: ').length - 1
            })
            res.on('error', () => {})
            resolve()
          })
          req.end()
        }),
    ),
  )
  return {
    messages: () => messages,
    close: () => {
      for (const req of requests) req.destroy()
    },
  }
}
