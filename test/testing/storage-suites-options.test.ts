import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')

interface Assertion {
  fullName: string
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo'
  failureMessages: string[]
}

/** Runs the fixtures of test/fixtures/suites in a vitest of their own; its JSON report, by test. */
async function runFixtures(): Promise<Assertion[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kobometer-suites-'))
  const report = join(dir, 'report.json')
  const args = [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    'test/fixtures/suites/vitest.config.ts',
    '--reporter=json',
    `--outputFile=${report}`,
  ]
  try {
    // Failing tests are the point: the exit code is not.
    await new Promise<void>((resolve) => execFile(process.execPath, args, { cwd: root }, () => resolve()))
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
      testResults: Array<{ assertionResults: Assertion[] }>
    }
    return parsed.testResults.flatMap((file) => file.assertionResults)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('runStorageSuites options', () => {
  let results: Assertion[] = []
  const find = (part: string) => results.filter((r) => r.fullName.includes(part))
  beforeAll(async () => {
    results = await runFixtures()
  }, 120_000)

  it('skips a test named by id or title, with the reason in its title, and runs the rest', () => {
    expect(find('[customers.list] (skipped: listed by another service)').map((r) => r.status)).toEqual([
      'skipped',
    ])
    expect(find('[customers.save] (skipped: saves are append-only here)').map((r) => r.status)).toEqual([
      'skipped',
    ])
    expect(
      find('skip keys')
        .filter((r) => r.fullName.includes('[customers.insert]'))
        .map((r) => r.status),
    ).toEqual(['passed'])
  })

  it('runs additionalTests on the port suites’ store, skippable like the others', () => {
    expect(
      find('additional tests an extra test on the shared store [mine.extra]').map((r) => r.status),
    ).toEqual(['passed'])
    expect(find('[mine.skipped] (skipped: shown skipped)').map((r) => r.status)).toEqual(['skipped'])
  })

  it('skips a conformance test by its title and runs the others', () => {
    const run = find('storage suites: conformance by title storage conformance')
    const skipped = run.filter((r) => r.status === 'skipped').map((r) => r.fullName)
    expect(skipped).toEqual([
      expect.stringContaining('refuses 10,001 with BATCH_TOO_LARGE (skipped: batches are capped lower)'),
    ])
    expect(run.filter((r) => r.status === 'passed').length).toBeGreaterThan(50)
    expect(find('conformance by title skipTests names only tests that exist').map((r) => r.status)).toEqual([
      'passed',
    ])
  })

  it('fails the run when a skipTests key names no test, naming the key', () => {
    const [check] = find('skip keys').filter((r) =>
      r.fullName.includes('skipTests names only tests that exist'),
    )
    expect(check?.status).toBe('failed')
    expect(check?.failureMessages.join()).toContain('"customers.lsit"')
    expect(check?.failureMessages.join()).not.toContain('"customers.list"')
  })

  it('skips the cross-process suite, with the reason, for a storage not shared across processes', () => {
    const crossProcess = find(
      'skip keys cross-process (skipped: storage.capabilities.sharedAcrossProcesses is false',
    )
    expect(crossProcess.length).toBeGreaterThan(0)
    expect(crossProcess.every((r) => r.status === 'skipped')).toBe(true)
  })

  it('fails the cross-process suite, saying what to pass, for a shared storage without crossProcess', () => {
    const crossProcess = find('shared without crossProcess cross-process ')
    expect(crossProcess.length).toBeGreaterThan(0)
    for (const r of crossProcess) {
      expect(r.status).toBe('failed')
      expect(r.failureMessages.join()).toContain('pass crossProcess: { module, export, fresh }')
    }
  })

  it('skips a whole run with its reason, without opening a storage', () => {
    const run = find('storage suites: skipped run (skipped: no database here)')
    expect(run.length).toBeGreaterThan(0)
    expect(run.every((r) => r.status === 'skipped')).toBe(true)
  })
})
