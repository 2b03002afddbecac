import pg from 'pg'

/** The PostgreSQL the benches use: KOBOMETER_PG_URL, or the local test database. */
export const PG_URL = process.env.KOBOMETER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Creates a fresh schema and returns its name and a function that drops it. */
export async function freshSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `kobometer_bench_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`CREATE SCHEMA "${schema}"`)
  await admin.end()
  return {
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await c.end()
    },
  }
}

/**
 * Runs `callers` concurrent loops of `fn` for `ms` milliseconds and returns completed calls per second.
 *
 * @example
 * await concurrentThroughput(200, 3000, () => billing.events.ingest({ events: [next()] }))
 */
export async function concurrentThroughput(
  callers: number,
  ms: number,
  fn: () => Promise<unknown>,
): Promise<number> {
  let done = 0
  const start = performance.now()
  const deadline = start + ms
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        await fn()
        done++
      }
    }),
  )
  return done / ((performance.now() - start) / 1000)
}
