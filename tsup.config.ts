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
  testing: 'src/testing/index.ts',
  paystack: 'src/gateways/paystack/index.ts',
  flutterwave: 'src/gateways/flutterwave/index.ts',
}

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  treeshake: true,
})
