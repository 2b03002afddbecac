import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../src/adapters/memory/index.js'
import * as kobometer from '../../src/index.js'

// Every ```ts block of the README that holds a `expression // => expected` line is run with the
// package's exports in scope; each such line must hold, and each must actually run.
const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1] ?? '')
  .filter((b) => b.includes('// =>'))
const ARROW = /^(\s*)(.+?)\s*\/\/ => (.+)$/

type Check = (actual: unknown, expected: unknown, line: number) => void
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>

describe('README examples', () => {
  it('has examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8)
  })

  blocks.forEach((block, index) => {
    const firstLine =
      block
        .split('\n')
        .find((l) => l.includes('// =>'))
        ?.trim() ?? ''
    it(`block ${index + 1}: ${firstLine.slice(0, 70)}`, async () => {
      const expectedLines: number[] = []
      const body = block
        .split('\n')
        .filter((line) => !line.startsWith('import '))
        .map((line, n) => {
          const m = ARROW.exec(line)
          if (!m) return line
          expectedLines.push(n)
          return `${m[1]}__check((${m[2]}), (${m[3]}), ${n})`
        })
        .join('\n')
      const ran: number[] = []
      const check: Check = (actual, expected, line) => {
        ran.push(line)
        expect(
          actual,
          `README line: ${block.split('\n').filter((l) => !l.startsWith('import '))[line]}`,
        ).toEqual(expected)
      }
      const scope = [...Object.entries(kobometer), ['memoryStorage', memoryStorage] as const]
      // Blocks are TypeScript (`satisfies`, type imports): strip the types, keep the lines.
      const js = ts
        .transpileModule(body, {
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
        })
        .outputText.replace(/^export \{\};?$/m, '')
      await new AsyncFunction(...scope.map(([name]) => name), '__check', js)(
        ...scope.map(([, value]) => value),
        check,
      )
      expect(ran).toEqual(expectedLines)
    })
  })
})
