import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSqliteStorage } from '../../src/adapters/kysely/sqlite/sqlite-backend.js'
import { type Billing, createBilling } from '../../src/index.js'
import { asSeparateRequests } from '../../src/testing/conformance/separate-requests.js'

// better-sqlite3 is synchronous, so no append ever waits for another's transaction: a busy server's
// requests, each sending one event, would each commit on their own. Once a turn of the event loop
// has seen several appends, the next turn's share one transaction; a caller appending back to back
// keeps one transaction per call, at once.
describe('SQLite group commit', () => {
  let database: Database.Database
  let billing: Billing
  let commits = 0

  /** The handle with its COMMIT statement counted. */
  function countingCommits(db: Database.Database): Database.Database {
    return new Proxy(db, {
      get(target, property) {
        if (property === 'prepare')
          return (sql: string) => {
            const statement = target.prepare(sql)
            if (sql !== 'COMMIT') return statement
            return new Proxy(statement, {
              get(s, p) {
                if (p !== 'run') return Reflect.get(s, p)
                return (...args: unknown[]) => {
                  commits++
                  return s.run(...args)
                }
              },
            })
          }
        const value = Reflect.get(target, property)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  }

  const event = (k: number) => ({
    event_name: 'call',
    customer_id: `c${k % 3}`,
    idempotency_key: `k${k}`,
    timestamp: Date.UTC(2026, 0, 1),
  })

  /** `n` requests of one event each, from separate callbacks of one turn; answers their statuses. */
  const requests = async (from: number, n: number) =>
    (await asSeparateRequests(n, (i) => billing.events.ingest({ events: [event(from + i)] }))).map(
      (r) => r.results[0]!.status,
    )
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

  beforeEach(async () => {
    database = new Database(':memory:')
    billing = await createBilling({ storage: createSqliteStorage(countingCommits(database), false) })
    await billing.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
    commits = 0
  })

  afterEach(async () => {
    await billing.close()
    database.close()
  })

  it('commits the requests of a busy turn together, each with its own outcome', async () => {
    expect(await requests(0, 10)).toEqual(Array(10).fill('accepted'))
    expect(commits).toBe(10)
    await nextTurn()
    commits = 0
    // Five new keys and five sent before: merged, yet each request learns what happened to its own.
    expect(await requests(5, 10)).toEqual([...Array(5).fill('duplicate'), ...Array(5).fill('accepted')])
    expect(commits).toBe(1)
    const usage = await Promise.all(
      [0, 1, 2].map((c) =>
        billing.usage.get({ customer_id: `c${c}`, meter: 'calls', from: 0, to: Date.now() }),
      ),
    )
    expect(usage.reduce((n, u) => n + u.quantity, 0)).toBe(15)
  })

  it('commits each call of a caller appending back to back at once, soon after a busy turn', async () => {
    await requests(100, 4)
    await nextTurn()
    let turns = 0
    const countTurns = () => {
      turns++
      if (turns < 1000) setImmediate(countTurns)
    }
    setImmediate(countTurns)
    // Gathering after the busy turn: the first calls each wait for a turn of their own, until 16
    // turns in a row have gathered that one call; from then on no call waits for a turn.
    let turnsAfter20 = 0
    for (let i = 0; i < 40; i++) {
      await billing.events.ingest({ events: [event(i)] })
      if (i === 19) turnsAfter20 = turns
    }
    expect(turnsAfter20).toBeLessThanOrEqual(17)
    expect(turns).toBe(turnsAfter20)
  })
})
