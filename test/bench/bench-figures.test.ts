import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { compare } from '../../bench/harness.js'
import { uuidV7Generator } from '../../bench/idempotency-keys.js'
import { invoiceRounds, invoiceRunRow, monthStart, runAt } from '../../bench/invoice-workload.js'
import { formatMarkdown, formatTable } from '../../bench/report.js'
import { isSelected } from '../../bench/select.js'
import { configure, roundsFor } from '../../bench/settings.js'
import { openRawSqlite } from '../../bench/sqlite-fixture.js'
import { quantile, summarize } from '../../bench/stats.js'
import { createSqliteStorage } from '../../src/adapters/kysely/sqlite/sqlite-backend.js'

// The bench reports medians with their range, compares medians, and runs its raw SQLite baselines
// with kobometer's own settings: what a reader of the table relies on.
describe('bench figures', () => {
  afterEach(() => configure({ quick: false, rounds: undefined }))

  it('summarizes rounds as median, lowest and highest', () => {
    expect(summarize([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, rounds: 3 })
    expect(summarize([40, 10, 30, 20])).toEqual({ median: 25, min: 10, max: 40, rounds: 4 })
    expect(() => summarize([])).toThrow()
    expect(quantile(Float64Array.of(1, 2, 3, 4), 0.5)).toBe(2)
    expect(quantile(Float64Array.of(1, 2, 3, 4), 0.999)).toBe(4)
  })

  it('computes the ratio from medians and keeps both ranges in the row and the table', () => {
    const kobo = { value: 50, unit: 'events/s', min: 10, max: 90, rounds: 5 }
    const raw = { value: 100, unit: 'events/s', min: 95, max: 400, rounds: 5 }
    const row = compare('ingest', kobo, raw)
    expect(row).toMatchObject({ value: 50, min: 10, max: 90, baseline: 100, baseline_min: 95, ratio: 0.5 })
    const latency = compare('p99', { value: 200, unit: 'µs', rounds: 1 }, { value: 100, unit: 'µs' })
    expect(latency.ratio).toBe(0.5)
    const machine = { cpus: 2, cpu_model: 'x', memory_gb: 1, platform: 'linux', arch: 'x64' }
    const table = formatTable({ machine, node: 'v20', date: 'd', results: [row, latency] })
    expect(table).toContain('median')
    expect(table).toMatch(/ingest\s+50\s+10–90\s+events\/s\s+100\s+95–400\s+0\.50×\s+5/)
    expect(table).toMatch(/p99\s+200\s+µs\s+100\s+0\.50×\s+1/)
  })

  it('prints the same rows as a Markdown table with the machine and date, pipes escaped', () => {
    const kobo = { value: 50, unit: 'events/s', min: 10, max: 90, rounds: 5 }
    const row = compare(
      'ingest | batch',
      kobo,
      { value: 100, unit: 'events/s', min: 95, max: 400, rounds: 5 },
      {
        minRatio: 0.6,
      },
    )
    const machine = { cpus: 2, cpu_model: 'EPYC', memory_gb: 23.5, platform: 'linux', arch: 'x64' }
    const md = formatMarkdown({ machine, node: 'v20.1.0', date: '2026-12-01T10:00:00.000Z', results: [row] })
    const lines = md.trimEnd().split('\n')
    expect(lines[0]).toBe('Measured 2026-12-01 · node v20.1.0 · linux/x64 · 2× EPYC · 23.5 GB')
    expect(lines[2]).toBe(
      '| name | median | min–max | unit | baseline | min–max | ratio | n | target | met |',
    )
    expect(lines[3]).toBe('| --- | --: | --: | --- | --: | --: | --: | --: | --- | --- |')
    expect(lines[4]).toBe(
      '| ingest \\| batch | 50 | 10–90 | events/s | 100 | 95–400 | 0.50× | 5 | ratio >= 0.6 | ✗ |',
    )
  })

  it('selects cases by any filter matching <suite>/<case>, ignoring case', () => {
    expect(isSelected('pricing', 'per_unit', [])).toBe(true)
    expect(isSelected('ingest-sqlite', 'batch ingest, UUIDv4 keys', ['sqlite/batch ingest, uuidv4'])).toBe(
      true,
    )
    expect(isSelected('ingest-sqlite', 'batch ingest, UUIDv7 keys', ['uuidv4'])).toBe(false)
    expect(isSelected('ingest-mysql', 'batch ingest', ['uuidv4', 'MYSQL'])).toBe(true)
  })

  it('takes 5 rounds by default, at most 3 with --quick, and exactly --rounds when given', () => {
    expect(roundsFor(undefined)).toBe(5)
    configure({ quick: true })
    expect(roundsFor(undefined)).toBe(3)
    expect(roundsFor(1)).toBe(1)
    configure({ rounds: 7 })
    expect(roundsFor(2)).toBe(7)
  })

  it('reports invoice runs as the median of monthly rounds, each run past its period and grace', () => {
    expect(invoiceRounds()).toBe(3)
    const row = invoiceRunRow('sqlite', 1000, { kobometer: [0.3, 0.1, 0.2], raw: [0.1, 0.1, 0.1] })
    expect(row).toMatchObject({
      value: 0.2,
      min: 0.1,
      max: 0.3,
      rounds: 3,
      baseline: 0.1,
      baseline_rounds: 3,
    })
    expect(row.ratio).toBeCloseTo(0.5)
    expect(monthStart(1)).toBe(Date.UTC(2027, 1, 1))
    expect(runAt(11)).toBe(Date.UTC(2028, 0, 1, 2))
  })

  it('makes UUIDv7 keys that sort in the order they were made, within and across milliseconds', () => {
    const start = 1_760_000_000_000
    let now = start
    const next = uuidV7Generator(() => now)
    const keys: string[] = []
    for (let i = 0; i < 10_000; i++) {
      if (i % 5000 === 4999) now++
      keys.push(next())
    }
    expect([...keys].sort()).toEqual(keys)
    expect(new Set(keys).size).toBe(keys.length)
    const layout = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    expect(keys.filter((key) => !layout.test(key))).toEqual([])
    expect(Number.parseInt(keys[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(start)
  })

  it('opens raw SQLite baselines with the settings a kobometer storage gives its own file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kobometer-bench-settings-'))
    const owned = new Database(join(dir, 'kobometer.db'))
    createSqliteStorage(owned, true)
    const raw = openRawSqlite(join(dir, 'raw.db'))
    try {
      const names = [
        'busy_timeout',
        'journal_mode',
        'synchronous',
        'cache_size',
        'wal_autocheckpoint',
        'journal_size_limit',
      ]
      const settings = (db: Database.Database) => names.map((n) => db.pragma(n, { simple: true }))
      expect(settings(raw)).toEqual(settings(owned))
      expect(settings(raw)).toEqual([10_000, 'wal', 1, -65_536, 50_000, 268_435_456])
    } finally {
      raw.close()
      owned.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
