import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>
  engines: { node: string }
  license: string
  author: string
  peerDependencies: Record<string, string>
  peerDependenciesMeta: Record<string, { optional?: boolean }>
}

interface PackResult {
  files: Array<{ path: string; size: number }>
  unpackedSize: number
}

let packed: PackResult | undefined

// Scripts are skipped here: the suite runs after `npm run build`, and what `prepack` runs is checked
// on its own below.
function packedFiles(): PackResult {
  if (packed) return packed
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], {
    cwd: root,
    encoding: 'utf8',
  })
  packed = (JSON.parse(out) as PackResult[])[0]!
  return packed
}

describe('the published package', () => {
  it('builds before it is packed, so a clean clone packs the build', () => {
    // Silent, so `npm pack --json` and `npm publish --json` still print one JSON document.
    expect(pkg.scripts.prepack).toBe(`${pkg.scripts.build} --silent`)
  })

  it('holds both builds, their type declarations, the LICENSE, README and CHANGELOG', () => {
    const paths = packedFiles().files.map((f) => f.path)
    for (const entry of ['index', 'sqlite', 'storage-kit', 'testing', 'testing/fakes', 'paystack']) {
      for (const ext of ['js', 'cjs', 'd.ts', 'd.cts']) expect(paths).toContain(`dist/${entry}.${ext}`)
    }
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']))
  })

  it('holds kobometer/http and the API reference script it serves (no CDN)', () => {
    const paths = packedFiles().files.map((f) => f.path)
    for (const ext of ['js', 'cjs', 'd.ts', 'd.cts']) expect(paths).toContain(`dist/http.${ext}`)
    expect(paths).toContain('dist/assets/scalar-api-reference.js')
    expect(paths).toContain('dist/assets/scalar-api-reference.LICENSE.txt')
  })

  it('holds the worker the cross-process suite of kobometer/testing spawns', () => {
    expect(packedFiles().files.map((f) => f.path)).toContain('dist/testing/storage-worker.js')
  })

  it('ships no source maps and nothing outside dist but its documents', () => {
    const paths = packedFiles().files.map((f) => f.path)
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([])
    expect(paths.filter((p) => !p.startsWith('dist/')).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'package.json',
    ])
  })

  it('is MIT licensed by the kobometer authors', () => {
    expect(pkg.license).toBe('MIT')
    expect(pkg.author).toBe('kobometer authors')
    const license = readFileSync(join(root, 'LICENSE'), 'utf8')
    expect(license).toMatch(/^MIT License/)
    expect(license).toContain('Copyright (c) 2026 the kobometer authors')
  })

  it('declares the Node.js version crypto.hash needs', () => {
    expect(pkg.engines.node).toBe('>=20.12')
  })

  it('declares only storage drivers as peers, each optional, and no test tools', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['better-sqlite3', 'mysql2', 'pg'])
    for (const name of Object.keys(pkg.peerDependencies)) {
      expect(pkg.peerDependenciesMeta[name]?.optional, name).toBe(true)
    }
  })
})
