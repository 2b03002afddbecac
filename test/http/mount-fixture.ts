import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { memoryStorage } from '../../src/adapters/memory/index.js'
import { paystackGateway } from '../../src/gateways/paystack/index.js'
import { type Billing, createBilling } from '../../src/index.js'

/** The Paystack secret the fixture's gateway verifies webhook signatures with. */
export const PAYSTACK_SECRET = 'sk_test_kobometer_http_5ecret'
/** The meter the fixture counts `api_call` events with. */
export const METER = 'api_calls'

/** A billing instance on memory storage, with a meter, a Paystack gateway and one key per scope used. */
export interface MountFixture {
  billing: Billing
  /** Secret of a key with `events:write`. */
  writeKey: string
  /** Secret of a key with `usage:read`. */
  readKey: string
}

/**
 * A fresh billing instance for an HTTP test. The gateway is never called: webhooks are verified
 * locally, so its base URL points nowhere.
 *
 * @example
 * const { billing, writeKey } = await mountFixture()
 */
export async function mountFixture(): Promise<MountFixture> {
  const billing = await createBilling({
    storage: memoryStorage(),
    gateways: { paystack: paystackGateway({ secretKey: PAYSTACK_SECRET, baseUrl: 'http://127.0.0.1:9' }) },
  })
  await billing.meters.create({ code: METER, event_name: 'api_call', aggregation: 'count' })
  const write = await billing.apiKeys.create({ name: 'ingest', scopes: ['events:write'] })
  const read = await billing.apiKeys.create({ name: 'dashboard', scopes: ['usage:read'] })
  return { billing, writeKey: write.secret, readKey: read.secret }
}

/** A server listening on loopback: its base URL and a way to stop it. */
export interface Listening {
  url: string
  close(): Promise<void>
}

/**
 * Listens on 127.0.0.1 on a free port.
 *
 * @example
 * const { url, close } = await listen(createServer(api.nodeListener))
 */
export async function listen(server: Server): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) }
}

/**
 * Stops a server, closing its idle keep-alive connections so the promise settles at once.
 *
 * @example
 * await closeServer(server)
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)))
    server.closeAllConnections()
  })
}

/**
 * Serves a Node.js request listener on loopback.
 *
 * @example
 * const { url, close } = await serveListener(api.nodeListener)
 */
export function serveListener(listener: RequestListener): Promise<Listening> {
  return listen(createServer(listener))
}
