// Ingests events into a fresh SQLite store and reports resident memory growth, as one JSON line.
// Run with --expose-gc so the numbers are taken after a collection.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { createBilling } from '../src/index.js'
import { benchMeters, sequence } from './ingest-workload.js'

const total = Number(process.argv[2] ?? 1_000_000)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const dir = mkdtempSync(join(tmpdir(), 'kobometer-mem-'))
const billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'kobometer.db') }) })
for (const m of benchMeters) await billing.meters.create(m)
const events = sequence('uuidv7')
await billing.events.ingest({ events: events.batch(10_000) }) // warm up caches and statements
gc()
const before = process.memoryUsage().rss
for (let i = 10_000; i < total; i += 1000) await billing.events.ingest({ events: events.batch(1000) })
gc()
const after = process.memoryUsage().rss
await billing.close()
rmSync(dir, { recursive: true, force: true })
process.stdout.write(`${JSON.stringify({ before, after, growth_mb: (after - before) / 2 ** 20 })}\n`)
