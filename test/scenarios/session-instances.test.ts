import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { type Billing, createBilling } from '../../src/index.js'

const T0 = Date.UTC(2026, 0, 1)
const opened: Billing[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const billing of opened.splice(0)) await billing.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Two billing instances on one SQLite file, each with its own caches and clock: two processes' view. */
async function twoInstances() {
  const dir = mkdtempSync(join(tmpdir(), 'kobometer-sessions-'))
  dirs.push(dir)
  const filename = join(dir, 'billing.db')
  const clocks = [T0, T0]
  const open = async (i: number) => {
    const billing = await createBilling({
      storage: sqliteStorage({ filename }),
      clock: () => clocks[i] as number,
    })
    opened.push(billing)
    return billing
  }
  const a = await open(0)
  const b = await open(1)
  return { a, b, advanceB: (ms: number) => (clocks[1] = (clocks[1] as number) + ms) }
}

describe('sessions across two instances on one SQLite file', () => {
  it('a sign-out in one is refused by the other within its 30 s cache window', async () => {
    const { a, b, advanceB } = await twoInstances()
    const key = await a.apiKeys.create({ name: 'ops', scopes: ['admin'] })
    const signed = await a.sessions.signIn({ api_key_secret: key.secret })
    if (!('token' in signed)) throw new Error('sign-in refused')
    expect(await b.sessions.verify({ token: signed.token, kind: 'operator' })).toEqual(signed.session)
    await a.sessions.signOut(signed.token)
    expect(await a.sessions.verify({ token: signed.token, kind: 'operator' })).toBeNull()
    advanceB(29_999)
    expect(await b.sessions.verify({ token: signed.token, kind: 'operator' })).not.toBeNull()
    advanceB(1)
    expect(await b.sessions.verify({ token: signed.token, kind: 'operator' })).toBeNull()
  })

  it('a portal link revoked in one is refused by the other within the window', async () => {
    const { a, b, advanceB } = await twoInstances()
    await a.customers.create({ id: 'cus_a' })
    const link = await a.portal.createSession({ customer_id: 'cus_a' })
    const token = link.url.slice(link.url.lastIndexOf('/') + 1)
    expect(await b.sessions.verify({ token, kind: 'portal', customer_id: 'cus_a' })).not.toBeNull()
    await a.portal.revokeSession(link.id)
    advanceB(30_000)
    expect(await b.sessions.verify({ token, kind: 'portal', customer_id: 'cus_a' })).toBeNull()
  })

  it('an API key revoked in one ends its operator sessions in the other within the window', async () => {
    const { a, b, advanceB } = await twoInstances()
    const key = await a.apiKeys.create({ name: 'ops', scopes: ['admin'] })
    const signed = await b.sessions.signIn({ api_key_secret: key.secret })
    if (!('token' in signed)) throw new Error('sign-in refused')
    expect(await b.sessions.verify({ token: signed.token, kind: 'operator' })).not.toBeNull()
    await a.apiKeys.revoke(key.id)
    expect(await b.sessions.verify({ token: signed.token, kind: 'operator' })).not.toBeNull()
    advanceB(30_000)
    expect(await b.sessions.verify({ token: signed.token, kind: 'operator' })).toBeNull()
    expect(await b.sessions.signIn({ api_key_secret: key.secret })).toEqual({ error: 'revoked' })
  })
})
