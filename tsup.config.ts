import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { defineConfig } from 'tsup'

/**
 * Build entries, by output name. `index` is the package root; every other name `x` is the subpath
 * `kobometer/x`. `test/build/exports.test.ts` fails when this map and package.json `exports` drift.
 */
export const entries: Record<string, string> = {
  index: 'src/index.ts',
  memory: 'src/adapters/memory/index.ts',
  sqlite: 'src/adapters/sqlite.ts',
  postgres: 'src/adapters/postgres.ts',
  mysql: 'src/adapters/mysql.ts',
  'storage-kit': 'src/storage-kit.ts',
  testing: 'src/testing/index.ts',
  'testing/fakes': 'src/testing/fakes/index.ts',
  paystack: 'src/gateways/paystack/index.ts',
  flutterwave: 'src/gateways/flutterwave/index.ts',
  webhooks: 'src/webhooks/index.ts',
  http: 'src/http/index.ts',
}

/**
 * Files the package ships that are not subpaths: the cross-process suite's child process, which
 * `kobometer/testing` spawns by path (`dist/testing/storage-worker.js`).
 */
export const internalEntries: Record<string, string> = {
  'testing/storage-worker': 'src/testing/cross-process/storage-worker.ts',
}

export default defineConfig({
  entry: { ...entries, ...internalEntries },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // No source maps in the package: they were two thirds of its size, and the output is unminified
  // JavaScript with the source's names, so stack traces read without them.
  sourcemap: false,
  // kobometer/testing runs inside the user's own vitest and fast-check. tsup leaves dependencies and
  // peers external; these two are neither, so without this they would be bundled into dist.
  external: ['vitest', 'fast-check'],
  // kobometer/testing finds its worker file from its own location: `import.meta.url`, which the
  // CommonJS build needs a shim for.
  shims: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  treeshake: true,
  onSuccess: copyDocsScript,
})

/**
 * `kobometer/http` serves its API reference page with Scalar's standalone script (MIT), shipped in
 * `dist/assets` so the page needs no CDN. The package is a dev dependency: only this file is taken.
 */
async function copyDocsScript(): Promise<void> {
  const require = createRequire(import.meta.url)
  const main = require.resolve('@scalar/api-reference')
  const root = main.slice(0, main.lastIndexOf('/dist/'))
  await mkdir('dist/assets', { recursive: true })
  await copyFile(join(root, 'dist/browser/standalone.js'), 'dist/assets/scalar-api-reference.js')
  await writeFile(
    'dist/assets/scalar-api-reference.LICENSE.txt',
    '@scalar/api-reference (standalone bundle), by Scalar (https://github.com/scalar/scalar), MIT License.\n',
  )
}
