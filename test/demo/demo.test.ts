import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

// The README's quick start promises `npm run demo` works on a fresh clone: run it as users do.
describe('npm run demo', () => {
  it('runs to the end: price cards, the billing cycle, access, and the HTTP API from another process', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'demo', '--', '--no-serve'], {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    })
    expect(stdout).toContain('First 10k free')
    expect(stdout).toContain('The billing cycle: January 2027')
    expect(stdout).toContain('Access on the hot path')
    expect(stdout).toMatch(/another process, first send: POST \/v1\/events → 200, accepted 1, duplicates 0/)
    expect(stdout).toMatch(/another process, a retry : POST \/v1\/events → 200, accepted 0, duplicates 1/)
    expect(stdout).toContain('GET /v1/usage → 1 call counted, once')
  }, 150_000)
})
