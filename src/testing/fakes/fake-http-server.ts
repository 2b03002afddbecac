/**
 * The plumbing both fake gateways share: a node:http server on 127.0.0.1 (port 0), JSON in and out,
 * bearer-key checks, and per-request fault injection. Each fake supplies its routes and its
 * provider's shapes for a 401, a 5xx and a 429.
 *
 *   failNext(n, { status: 500 | 429, body?, path?, after? })
 *                                                      the next n requests (matching `path`) answer that,
 *                                                      unperformed, or with `after: true` once performed
 *   dropNext(path, { before? })                        the next matching request is performed, then its
 *                                                      socket is destroyed without an answer; with
 *                                                      `before: true` it is dropped unperformed
 *   delayNext(ms)                                      the next request waits ms before it is handled
 *                                                      (and is still performed after the client gave up)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as a route sees it. */
export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  /** Parsed JSON body, `undefined` when none or not JSON. */
  body: unknown
}

/** What a route answers. `body` is serialized with {@link toJson} (bigint ids stay exact). */
export interface FakeReply {
  status: number
  body: unknown
}

/** A scripted failure. `body` replaces the provider's default shape for that status. */
export interface FaultOptions {
  status: number
  body?: unknown
  /** Only requests whose path starts with this; any request when omitted. */
  path?: string
  /** Perform the request first, then answer the fault: the work is done, the answer says otherwise. */
  after?: boolean
}

/** How a fake plays its provider. */
export interface FakeProvider {
  secretKey: string
  route(request: FakeRequest): FakeReply
  unauthorized(presented: boolean): FakeReply
  fault(status: number): unknown
  /** Paths a browser opens without the secret key (hosted payment pages). */
  isPublic?(path: string): boolean
}

/**
 * JSON with bigint values written as bare integers, as Paystack writes its 64-bit ids.
 *
 * @example
 * toJson({ id: 4099260516000000001n }) // '{"id":4099260516000000001}'
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `__bigint__${v}` : v)).replace(
    /"__bigint__(-?\d+)"/g,
    '$1',
  )
}

/**
 * The HTTP side of a fake gateway.
 *
 * @example
 * const http = new FakeHttpServer(provider)
 * const { url, close } = await http.start()
 */
export class FakeHttpServer {
  /** Every request received, in order. */
  readonly requests: Array<{ method: string; path: string }> = []
  readonly #provider: FakeProvider
  readonly #faults: Array<FaultOptions & { remaining: number }> = []
  readonly #drops: Array<{ path: string; before: boolean }> = []
  readonly #delays: number[] = []
  /** While true every request is refused as if the merchant's key had been revoked. */
  revoked = false

  constructor(provider: FakeProvider) {
    this.#provider = provider
  }

  failNext(n: number, options: FaultOptions): void {
    this.#faults.push({ ...options, remaining: n })
  }

  dropNext(path: string, options: { before?: boolean } = {}): void {
    this.#drops.push({ path, before: options.before === true })
  }

  delayNext(ms: number): void {
    this.#delays.push(ms)
  }

  async start(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch(() => res.destroy())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    return {
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        }),
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const raw = await readBody(req)
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: parseBody(raw),
    }
    this.requests.push({ method: request.method, path: request.path })
    const delay = this.#delays.shift()
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay))

    const fault = this.#faults.find((f) => f.remaining > 0 && request.path.startsWith(f.path ?? ''))
    if (fault) fault.remaining -= 1
    if (fault && !fault.after) {
      return send(res, { status: fault.status, body: fault.body ?? this.#provider.fault(fault.status) })
    }
    const drop = this.#drops.findIndex((d) => request.path.startsWith(d.path))
    const dropped = drop === -1 ? undefined : this.#drops.splice(drop, 1)[0]
    if (dropped?.before) {
      // The request never reaches the provider's books: the connection dies on the way in.
      res.socket?.destroy()
      return
    }
    const authorization = req.headers.authorization
    const open = this.#provider.isPublic?.(request.path) === true
    if (!open && (this.revoked || authorization !== `Bearer ${this.#provider.secretKey}`)) {
      return send(res, this.#provider.unauthorized(authorization !== undefined))
    }
    const reply = this.#provider.route(request)
    if (dropped) {
      // The work is done; the answer is lost on the way back.
      res.socket?.destroy()
      return
    }
    if (fault) {
      return send(res, { status: fault.status, body: fault.body ?? this.#provider.fault(fault.status) })
    }
    send(res, reply)
  }
}

function send(res: ServerResponse, reply: FakeReply): void {
  if (res.destroyed || res.socket?.destroyed) return
  res.writeHead(reply.status, { 'content-type': 'application/json' })
  res.end(toJson(reply.body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}
