// PostgreSQL at scale: the same ingestion and usage reads on a store of 1M events and on one of
// 20M (20 monthly partitions of the same density: 1,000 customers, 1M events a month), side by side
// in the same run. Ingest is compared with raw pg inserting the same rows into a table of the same
// size with the same unique key and (customer, time) index; usage.get at 20M is compared with
// usage.get at 1M. What it shows: neither degrades as the log grows, because each month is its own
// partition and usage is read from hourly rollups plus at most the two edge hours' events.
//
// The stores are seeded in SQL (events and their keys, then the meters are created, which backfills
// their rollups exactly as on any store) into schemas that are kept between runs, since 20M events
// take minutes to seed: `kobometer_bench_scale_v1_<events>`. Each run's ingestion adds its events
// to them (tens of thousands, well under 1%); drop the schemas to start afresh. Sizes can be set
// with KOBOMETER_BENCH_SCALE_EVENTS (comma-separated, the first is the reference), e.g. "1000000,5000000".
import pg from 'pg'
import { postgresStorage } from '../src/adapters/postgres.js'
import { type Billing, createBilling } from '../src/index.js'
import { BATCH, measureBatchVsRaw } from './batch-vs-raw.js'
import { compare, defineSuite, measureLatencies, pickLatency, rescale } from './harness.js'
import { benchMeters, pgRawInsert, RAW_COLUMNS } from './ingest-workload.js'
import { PG_URL } from './pg-fixture.js'

const CUSTOMERS = 1000
const EVENTS_PER_MONTH = 1_000_000
const MONTH = 30 * 86_400_000

interface Store {
  events: number
  billing: Billing
  /** Raw pg's table of as many rows, same unique key and (customer, time) index. */
  raw: string
  /** Windows `[from, to)` of customer `cus_0`, up to 30 days long, edges at any millisecond. */
  windows: Array<[number, number]>
}

interface State {
  pool: pg.Pool
  stores: Store[]
}

function sizes(quick: boolean): number[] {
  const told = process.env.KOBOMETER_BENCH_SCALE_EVENTS
  if (told !== undefined && told.trim() !== '') {
    const list = told.split(',').map((s) => Number(s.trim()))
    if (list.length < 2 || list.some((n) => !Number.isInteger(n) || n < EVENTS_PER_MONTH)) {
      throw new Error('KOBOMETER_BENCH_SCALE_EVENTS: two or more whole numbers, each at least 1000000')
    }
    return list
  }
  return quick ? [1_000_000, 2_000_000] : [1_000_000, 20_000_000]
}

const label = (n: number) => `${n / 1_000_000}M`

/**
 * Event i of a seeded store (columns key, cus, ts, props, tokens, hash): customer
 * `cus_<i·7919 mod 1000>`, times spread evenly over the months ending at `end`, the properties and
 * payload hash kobometer would store for it.
 */
function seededEvents(n: number, end: number): string {
  const start = end - (n / EVENTS_PER_MONTH) * MONTH
  return `SELECT key, cus, ts, props, tokens,
      translate(rtrim(encode(sha256(convert_to('api_call' || E'\\n' || cus || E'\\n' || ts::text || E'\\n' || props,
        'UTF8')), 'base64'), '='), '+/', '-_') AS hash
    FROM (SELECT 'seed_' || lpad(i::text, 9, '0') AS key, 'cus_' || ((i::bigint * 7919) % ${CUSTOMERS}) AS cus,
        ${start}::bigint + (i::bigint * ${end - start} / ${n}) AS ts, i % 997 + 1 AS tokens,
        '{"model":"' || CASE WHEN i % 3 = 0 THEN 'large' ELSE 'small' END || '","tokens":' || (i % 997 + 1) || '}' AS props
      FROM generate_series(0, ${n - 1}) AS i) AS seeded`
}

/** The seeded events as kobometer's and the raw table's rows. */
const eventRows = (n: number, end: number) =>
  `${RAW_COLUMNS} SELECT key, cus, 'api_call', ts, props, hash, ts FROM (${seededEvents(n, end)}) AS e`

/**
 * The rollups the seeded events make for the bench's two meters (`calls` count, `tokens` sum): per
 * customer and hour, and per hour across customers, all in shard 0 (reads add the shards up).
 */
function seedRollups(schema: string, n: number, end: number): string {
  const hourly = `SELECT cus, ts - ts % 3600000 AS bucket, count(*) AS count, sum(tokens) AS sum
    FROM (${seededEvents(n, end)}) AS e GROUP BY 1, 2`
  // In key order, so the rollups' indexes are written page after page rather than at random.
  return `SET LOCAL work_mem = '256MB';
    CREATE TEMPORARY TABLE seeded_hours AS ${hourly};
    INSERT INTO "${schema}".kobometer_rollups (meter, customer_id, bucket, count, sum, shard)
      SELECT 'calls', cus, bucket, count, NULL, 0 FROM seeded_hours ORDER BY cus, bucket;
    INSERT INTO "${schema}".kobometer_rollups (meter, customer_id, bucket, count, sum, shard)
      SELECT 'tokens', cus, bucket, count, sum, 0 FROM seeded_hours ORDER BY cus, bucket;
    INSERT INTO "${schema}".kobometer_meter_hours (meter, bucket, shard, count, sum)
      SELECT 'calls', bucket, 0, sum(count), NULL FROM seeded_hours GROUP BY bucket
      UNION ALL SELECT 'tokens', bucket, 0, sum(count), sum(sum) FROM seeded_hours GROUP BY bucket;
    DROP TABLE seeded_hours`
}

async function schemaReady(pool: pg.Pool, schema: string): Promise<boolean> {
  const { rows } = await pool.query('SELECT to_regclass($1) IS NOT NULL AS ready', [
    `"${schema}".bench_seeded`,
  ])
  return rows[0].ready === true
}

const storageOf = (schema: string) => postgresStorage({ connectionString: PG_URL }, { schema })

/**
 * The seeded rollups must be what kobometer itself would have written: usage over all the data
 * equals raw SQL's total for a few customers, for both meters, or the seed is refused.
 */
async function verifySeed(billing: Billing, pool: pg.Pool, raw: string): Promise<void> {
  for (const customer of ['cus_0', 'cus_1', 'cus_999']) {
    const { rows } = await pool.query(
      `SELECT count(*)::text AS calls, coalesce(sum((properties::json->>'tokens')::bigint), 0)::text AS tokens
        FROM ${raw} WHERE customer_id = $1`,
      [customer],
    )
    for (const meter of ['calls', 'tokens'] as const) {
      const usage = await billing.usage.get({
        customer_id: customer,
        meter,
        from: Date.UTC(2000, 0, 1),
        to: Date.now(),
      })
      if (usage.precise_quantity !== rows[0][meter]) {
        throw new Error(
          `seeded ${meter} of ${customer}: usage ${usage.precise_quantity}, raw SQL ${rows[0][meter]}`,
        )
      }
    }
  }
}

/** The store of `n` events, seeding it first unless a finished one is kept from an earlier run. */
async function openStore(pool: pg.Pool, n: number, log: (m: string) => void): Promise<Store> {
  const schema = `kobometer_bench_scale_v1_${n}`
  const raw = `"${schema}".raw_events`
  if (!(await schemaReady(pool, schema))) {
    const started = performance.now()
    log(`    seeding ${schema} with ${n.toLocaleString('en')} events (once; kept while it exists)`)
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.query(`CREATE SCHEMA "${schema}"`)
    const seeding = await createBilling({ storage: storageOf(schema) })
    try {
      const end = Date.now() - 3_600_000
      // One event in each month ahead of the data creates its partition the way ingestion does.
      for (let t = end - (n / EVENTS_PER_MONTH) * MONTH; t < end + MONTH; t += MONTH / 2) {
        await seeding.events.ingest({
          events: [
            { event_name: 'partition', customer_id: 'cus_partition', idempotency_key: `p${t}`, timestamp: t },
          ],
        })
      }
      // The meters first (nothing to backfill yet), then their events and rollups straight in SQL.
      for (const m of benchMeters) await seeding.meters.create(m)
      const events = `"${schema}".kobometer_events`
      await pool.query(`INSERT INTO ${events} ${eventRows(n, end)}`)
      await pool.query(
        `INSERT INTO "${schema}".kobometer_event_keys (idempotency_key, payload_hash)
          SELECT idempotency_key, payload_hash FROM ${events} WHERE event_name = 'api_call'`,
      )
      await pool.query(seedRollups(schema, n, end))
      await pool.query(`CREATE TABLE ${raw} (seq BIGSERIAL PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
        customer_id TEXT NOT NULL, event_name TEXT NOT NULL, timestamp BIGINT NOT NULL, properties TEXT NOT NULL,
        payload_hash TEXT NOT NULL, received_at BIGINT NOT NULL)`)
      await pool.query(`CREATE INDEX ON ${raw} (customer_id, timestamp)`)
      await pool.query(`INSERT INTO ${raw} ${eventRows(n, end)}`)
      await verifySeed(seeding, pool, raw)
      await pool.query(`ANALYZE "${schema}".kobometer_events; ANALYZE ${raw}`)
      await pool.query(
        `CREATE TABLE "${schema}".bench_seeded (events BIGINT NOT NULL, data_end BIGINT NOT NULL)`,
      )
      await pool.query(`INSERT INTO "${schema}".bench_seeded VALUES ($1, $2)`, [n, end])
    } finally {
      await seeding.close()
    }
    log(`    seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  }
  const { rows } = await pool.query(`SELECT data_end FROM "${schema}".bench_seeded`)
  const end = Number(rows[0].data_end)
  const start = end - (n / EVENTS_PER_MONTH) * MONTH
  let seed = 42
  const random = () => {
    seed = (seed * 48_271) % 2_147_483_647
    return seed / 2_147_483_647
  }
  // A start anywhere in the data, a length from a second to 30 days: the same work at any size.
  const windows = Array.from({ length: 500 }, (): [number, number] => {
    const length = 1000 + Math.floor(random() * (MONTH - 1000))
    const from = start + Math.floor(random() * (end - start - length))
    return [from, from + length]
  })
  return { events: n, billing: await createBilling({ storage: storageOf(schema) }), raw, windows }
}

export default defineSuite<State>({
  name: 'scale-postgres',
  setup: async (ctx) => {
    const pool = new pg.Pool({ connectionString: PG_URL })
    const stores: Store[] = []
    try {
      for (const n of sizes(ctx.quick)) stores.push(await openStore(pool, n, ctx.log))
    } catch (error) {
      for (const s of stores) await s.billing.close()
      await pool.end()
      throw error
    }
    return { pool, stores }
  },
  teardown: async (s) => {
    for (const store of s.stores) await store.billing.close()
    await s.pool.end()
  },
  cases: [
    {
      name: 'batch ingest by events stored',
      run: async (s) => {
        const ratios: number[] = []
        const rows = []
        for (const store of s.stores) {
          const sql = pgRawInsert(store.raw, BATCH)
          const [kobometer, baseline] = await measureBatchVsRaw(store.billing, (values) =>
            s.pool.query(sql, values),
          )
          const row = compare(
            `postgres batch ingest (1,000/call, 2 meters), ${label(store.events)} events stored, vs raw pg of as many rows`,
            kobometer!,
            baseline,
          )
          ratios.push(row.ratio ?? 0)
          rows.push(row)
        }
        const [first, ...rest] = s.stores
        rest.forEach((store, i) => {
          rows.push(
            compare(
              `postgres batch ingest ratio at ${label(store.events)} events vs at ${label(first!.events)}`,
              { value: ratios[i + 1]! / ratios[0]!, unit: '×' },
              undefined,
              { min: 0.9 },
            ),
          )
        })
        return rows
      },
    },
    {
      name: 'usage.get by events stored',
      run: async (s) => {
        // Rounds alternate between the reference store and each larger one.
        const [first, ...rest] = s.stores
        const rows = []
        for (const store of rest) {
          const usage = (st: Store) => {
            let k = 0
            return () => {
              const [from, to] = st.windows[k++ % st.windows.length]!
              return st.billing.usage.get({ customer_id: 'cus_0', meter: 'tokens', from, to })
            }
          }
          const [large, reference] = await measureLatencies([usage(store), usage(first!)], {
            iterations: 500,
          })
          for (const stat of ['p50', 'p99'] as const) {
            rows.push(
              compare(
                `postgres usage.get, random windows ≤ 30 days, ${label(store.events)} events stored, vs ${label(first!.events)} (${stat})`,
                rescale(pickLatency(large!, stat), 1e-3, 'ms'),
                rescale(pickLatency(reference!, stat), 1e-3, 'ms'),
                stat === 'p99' ? { minRatio: 0.8 } : undefined,
              ),
            )
          }
        }
        return rows
      },
    },
  ],
})
