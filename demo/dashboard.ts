import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { createHttpApi } from '../src/http/index.js'
import { createBilling } from '../src/index.js'

/**
 * Serves the dashboard on the billing cycle's SQLite file, as of the moment the cycle ended, until
 * Ctrl-C: prints the URL, a one-time admin key to sign in with, and a customer portal link.
 */
export async function serveDashboard(file: string, endedAt: number, port: number): Promise<void> {
  const clock = () => endedAt
  const billing = await createBilling({ storage: sqliteStorage({ filename: file }), clock })
  const api = createHttpApi(billing, { dashboard: { clock } })
  const server = createServer(api.nodeListener)
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const key = await billing.apiKeys.create({
    name: 'demo operator',
    scopes: ['admin'],
    expires_at: endedAt + 86_400_000,
  })
  const portal = await billing.portal.createSession({ customer_id: 'cus_bolt', expires_in_ms: 86_400_000 })
  console.log(`Dashboard: ${url}/dashboard`)
  console.log(`  sign in with this one-time admin key (valid 24 h): ${key.secret}`)
  console.log(`  Bolt's customer portal: ${url}${portal.url}`)
  console.log(`  API reference: ${url}/v1/docs`)
  console.log('Press Ctrl-C to stop.')
  await new Promise<void>((resolve) => process.once('SIGINT', resolve))
  api.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await billing.close()
}
