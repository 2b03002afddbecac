import { CHECKOUT_PATH, FakeCheckoutPages } from './fake-checkout.js'
import {
  FakeHttpServer,
  type FakeProvider,
  type FakeReply,
  type FakeRequest,
  type FaultOptions,
} from './fake-http-server.js'

/** A signed webhook as a provider would POST it. */
export interface SignedWebhook {
  rawBody: string
  headers: Record<string, string>
}

/**
 * What both fake gateways share: the loopback server, the fault injection and webhook delivery.
 * A subclass supplies its routes, its charge path and how its provider signs a webhook.
 *
 * @example
 * class FakeX extends FakeGateway { protected route(r) { … } signedWebhook(e) { … } }
 */
export abstract class FakeGateway {
  readonly secretKey: string
  protected readonly http: FakeHttpServer
  /** The hosted payment pages `initialize` opens on this server. */
  protected readonly pages: FakeCheckoutPages
  readonly #chargePath: string
  #url = ''

  constructor(provider: Omit<FakeProvider, 'route' | 'isPublic'>, chargePath: string) {
    this.secretKey = provider.secretKey
    // Routes run only once the server is started, after the subclass has finished constructing.
    this.http = new FakeHttpServer({
      ...provider,
      route: (request) => this.route(request),
      isPublic: (path) => path.startsWith(CHECKOUT_PATH),
    })
    this.pages = new FakeCheckoutPages(() => this.#url)
    this.#chargePath = chargePath
  }

  /**
   * Where the webhooks of paid checkout pages are POSTed (signed as the provider signs them), or
   * null (default) to send none.
   */
  get webhookUrl(): string | null {
    return this.pages.webhookUrl
  }

  set webhookUrl(url: string | null) {
    this.pages.webhookUrl = url
  }

  /** Resolves once every webhook sent for a paid checkout page so far has been answered. */
  webhooksDelivered(): Promise<void> {
    return this.pages.delivered()
  }

  protected abstract route(request: FakeRequest): FakeReply

  /** The event's raw body and the headers the provider sends with it, signed. */
  abstract signedWebhook(event: unknown, options?: { signature?: boolean }): SignedWebhook

  /** Where the server listens, once started. */
  protected get url(): string {
    return this.#url
  }

  /** Listens on 127.0.0.1, a free port. */
  async start(): Promise<{ url: string; close: () => Promise<void> }> {
    const started = await this.http.start()
    this.#url = started.url
    return started
  }

  /** Every request received, in order. */
  get requests(): ReadonlyArray<{ method: string; path: string }> {
    return this.http.requests
  }

  /** The next `n` requests (matching `options.path`) answer `options.status` without being handled. */
  failNext(n: number, options: FaultOptions): void {
    this.http.failNext(n, options)
  }

  /** The next charge is performed, then its connection is destroyed without an answer. */
  dropNextChargeResponse(): void {
    this.http.dropNext(this.#chargePath)
  }

  /** The next charge request is dropped before it is performed: nothing is charged, no answer. */
  dropNextChargeRequest(): void {
    this.http.dropNext(this.#chargePath, { before: true })
  }

  /** The next charge is performed, then answered with a `status` fault (a 5xx after the work). */
  failNextChargeAfterCharging(status: number): void {
    this.http.failNext(1, { status, path: this.#chargePath, after: true })
  }

  /** Refuses every request with the provider's 401 until `restoreKey()`: a revoked secret key. */
  revokeKey(): void {
    this.http.revoked = true
  }

  restoreKey(): void {
    this.http.revoked = false
  }

  /** How many charge requests reached the server so far. */
  chargeRequests(): number {
    return this.http.requests.filter((r) => r.method === 'POST' && r.path.startsWith(this.#chargePath)).length
  }

  /** The next request waits `ms` before it is handled; it is handled even if the client gave up. */
  delayNext(ms: number): void {
    this.http.delayNext(ms)
  }

  /** POSTs a signed event to a webhook endpoint; resolves to the HTTP status it answered. */
  async sendWebhook(url: string, event: unknown, options: { signature?: boolean } = {}): Promise<number> {
    const { rawBody, headers } = this.signedWebhook(event, options)
    const res = await fetch(url, { method: 'POST', headers, body: rawBody })
    await res.arrayBuffer()
    return res.status
  }
}
