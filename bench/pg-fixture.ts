import pg from 'pg'

/** The PostgreSQL the benches use: KOBOMETER_PG_URL, or the local test database. */
export const PG_URL = process.env.KOBOMETER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * Creates a fresh schema and returns its name and a function that drops it; `label` tells apart
 * schemas a suite creates within the same millisecond.
 */
export async function freshSchema(label = ''): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `kobometer_bench_${Date.now().toString(36)}${label === '' ? '' : `_${label}`}`
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
