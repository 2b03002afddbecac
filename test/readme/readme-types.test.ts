import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { entries } from '../../tsup.config.js'

// Every ```ts block of the README must compile under `tsc --strict` as a user would write it:
// imports from the package's subpaths, no implicit any, `unknown` errors in catch clauses.
const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
// The package's subpaths as the build defines them: `index` is `kobometer`, `x` is `kobometer/x`.
const SUBPATHS: Record<string, string> = Object.fromEntries(
  Object.entries(entries).map(([name, file]) => [name === 'index' ? 'kobometer' : `kobometer/${name}`, file]),
)

it('type-checks every TypeScript example of the README under tsc --strict', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
  expect(blocks.length).toBeGreaterThanOrEqual(15)
  const dir = join(root, 'node_modules', '.cache', 'readme-types')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const [i, block] of blocks.entries()) {
    writeFileSync(join(dir, `block-${i + 1}.ts`), `${block}\nexport {}\n`)
  }
  const paths = Object.fromEntries(Object.entries(SUBPATHS).map(([name, file]) => [name, [join(root, file)]]))
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2023', 'DOM'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        paths,
      },
      files: [join(root, 'test/readme/ambient.d.ts'), ...blocks.map((_, i) => `block-${i + 1}.ts`)],
    }),
  )
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], {
    cwd: dir,
  }).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  )
  expect(result, 'README blocks that fail tsc --strict (block numbers count ```ts blocks from the top)').toBe(
    '',
  )
}, 120_000)
