// PostgreSQL from many host processes: P processes (1, 2, 4) each ingesting 100-event batches from
// 8 concurrent loops into one schema, kobometer against raw pg inserting the same rows into a table
// with the same unique key and (customer, time) index, rounds alternating. Reports throughput of
// all processes together, Node CPU per event, and how throughput grows from 1 to 2 processes.
import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { compare, type Result } from './harness.js'
import { fromRounds } from './measure.js'
import type { ProcessSpec } from './pg-processes-child.js'
import { roundsFor, scaledMs } from './settings.js'

const child = fileURLToPath(new URL('./pg-processes-child.ts', import.meta.url))

interface Ran {
  events: number
  cpuMicros: number
}

async function startChildren(spec: ProcessSpec, count: number): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const p = fork(child, [JSON.stringify(spec)], { execArgv: ['--import', 'tsx'] })
      await once(p, 'message')
      return p
    }),
  )
}

async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (p) => {
      if (p.exitCode !== null || p.signalCode !== null) return
      const exited = once(p, 'exit')
      p.disconnect()
      await exited
    }),
  )
}

/** One round: every child ingests for `ms`; events/s of all together and CPU µs per event. */
async function round(children: readonly ChildProcess[], ms: number): Promise<{ rate: number; cpu: number }> {
  const start = performance.now()
  const results = await Promise.all(
    children.map(
      (p) =>
        new Promise<Ran>((resolve) => {
          p.once('message', (m: Ran) => resolve(m))
          p.send({ run: ms })
        }),
    ),
  )
  const seconds = (performance.now() - start) / 1000
  const events = results.reduce((n, r) => n + r.events, 0)
  const cpu = results.reduce((n, r) => n + r.cpuMicros, 0)
  return { rate: events / seconds, cpu: cpu / events }
}

/**
 * The many-process rows: throughput and CPU per event at each process count, kobometer against
 * raw, and the 1 → 2 process speed-up of each.
 *
 * @example
 * const rows = await measureProcesses({ schema, table: `"${schema}".raw_events` }, [1, 2, 4])
 */
export async function measureProcesses(
  where: { schema: string; table: string; appendTransactions?: number },
  counts: readonly number[],
  log: (message: string) => void,
): Promise<Result[]> {
  const ms = scaledMs(3000, 300)
  const rounds = roundsFor(undefined)
  const rows: Result[] = []
  const rates = new Map<number, { kobometer: number; raw: number }>()
  for (const count of counts) {
    const base = { ...where, callers: 8, batch: 100 }
    const kobo = await startChildren({ ...base, mode: 'kobometer' }, count)
    const raw = await startChildren({ ...base, mode: 'raw' }, count)
    try {
      await round(kobo, ms / 5)
      await round(raw, ms / 5)
      const k: Array<{ rate: number; cpu: number }> = []
      const r: Array<{ rate: number; cpu: number }> = []
      for (let i = 0; i < rounds; i++) {
        k.push(await round(kobo, ms))
        r.push(await round(raw, ms))
      }
      log(`    ${count} process(es): kobometer ${k.map((x) => Math.round(x.rate)).join(', ')} ev/s`)
      const label = `${count} process${count === 1 ? '' : 'es'}`
      const kRate = fromRounds(
        k.map((x) => x.rate),
        'events/s',
      )
      const rRate = fromRounds(
        r.map((x) => x.rate),
        'events/s',
      )
      rates.set(count, { kobometer: kRate.value, raw: rRate.value })
      rows.push(
        compare(
          `postgres batch ingest (100/call, 8 callers each), ${label}, vs raw + (customer, time) index`,
          kRate,
          rRate,
          {
            minRatio: 0.6,
          },
        ),
        compare(
          `postgres batch ingest, ${label}: Node CPU per event`,
          fromRounds(
            k.map((x) => x.cpu),
            'µs',
          ),
          fromRounds(
            r.map((x) => x.cpu),
            'µs',
          ),
          { max: 20 },
        ),
      )
    } finally {
      await stopChildren([...kobo, ...raw])
    }
  }
  const one = rates.get(1)
  const two = rates.get(2)
  if (one !== undefined && two !== undefined) {
    rows.push(
      compare(
        'postgres batch ingest, throughput 2 processes ÷ 1 process',
        { value: two.kobometer / one.kobometer, unit: '×' },
        { value: two.raw / one.raw, unit: '×' },
        { min: 1.6 },
      ),
    )
  }
  return rows
}
