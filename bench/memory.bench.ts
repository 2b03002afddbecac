// Resident memory growth over 1,000,000 ingested events (SQLite), in a separate process so nothing
// else in the run is counted: ingestion must keep no per-key state in memory.
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compare, defineSuite } from './harness.js'

const child = join(dirname(fileURLToPath(import.meta.url)), 'memory-child.ts')

export default defineSuite({
  name: 'memory',
  cases: [
    {
      name: 'rss growth over 1M events',
      run: (_state, ctx) => {
        const n = ctx.quick ? 100_000 : 1_000_000
        const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, String(n)], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        })
        const { growth_mb } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { growth_mb: number }
        return compare(
          `sqlite rss growth over ${n.toLocaleString('en')} events`,
          { value: growth_mb, unit: 'MB' },
          undefined,
          {
            max: 150,
          },
        )
      },
    },
  ],
})
