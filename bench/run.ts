// CLI entry: tsx bench/run.ts [--json | --markdown] [--quick] [--rounds <n>] [--filter <text>]… [--list] [--out <file>]
// `--filter` (repeatable) runs the cases whose `<suite>/<case>` contains the text, ignoring case;
// `--list` prints those paths without running anything. `--out` writes the report to a file, so
// `npm run bench -- --json --out r.json` yields one clean JSON document whatever npm prints around it;
// `--markdown` prints the rows as a Markdown table (the README's).
// Exit code: 0 even when targets are missed (a bench reports, it does not fail); 1 if a suite threw; 2 on bad flags.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type BenchContext, configure, type Result } from './harness.js'
import { getMachineInfo } from './machine.js'
import { type BenchReport, formatJson, formatMarkdown, formatTable } from './report.js'
import { casePath, isSelected } from './select.js'
import { suites } from './suites.js'

const USAGE =
  'usage: tsx bench/run.ts [--json | --markdown] [--quick] [--rounds <n>] [--filter <text>]… [--list] [--out <file>]\n'

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`)
  process.exit(2)
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        markdown: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        rounds: { type: 'string' },
        filter: { type: 'string', multiple: true, default: [] },
        list: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error))
  }
}

const flags = parseFlags()
if (flags.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
const rounds = flags.rounds === undefined ? undefined : Number(flags.rounds)
if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1))
  fail('--rounds takes a whole number >= 1')
if (flags.json && flags.markdown) fail('--json and --markdown exclude each other')
const filters = flags.filter.filter((f) => f !== '')
const chosen = (suite: string) => (caseName: string) => isSelected(suite, caseName, filters)

if (flags.list) {
  for (const s of suites) {
    for (const c of s.caseNames.filter(chosen(s.name))) process.stdout.write(`${casePath(s.name, c)}\n`)
  }
  process.exit(0)
}

const log = (message: string) => process.stderr.write(`${message}\n`)
if (flags.json) {
  // Keep stdout for the single JSON document, even if a suite uses console.log.
  console.log = console.error
  console.info = console.error
  console.debug = console.error
}

configure({ quick: flags.quick, rounds })
const ctx: BenchContext = { quick: flags.quick, log }
const selected = suites.filter((s) => s.caseNames.some(chosen(s.name)))
if (selected.length === 0) log(`no case matches --filter ${filters.map((f) => JSON.stringify(f)).join(' ')}`)

const results: Result[] = []
for (const suite of selected) {
  const started = performance.now()
  log(`▶ ${suite.name}${flags.quick ? ' (quick)' : ''}`)
  try {
    results.push(...(await suite.run(ctx, chosen(suite.name))))
    log(`✔ ${suite.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } catch (error) {
    log(`✘ ${suite.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    process.exitCode = 1
  }
}

const seen = new Set<string>()
for (const r of results) {
  if (seen.has(r.name)) log(`warning: duplicate result name ${JSON.stringify(r.name)}`)
  seen.add(r.name)
}

const report: BenchReport = {
  machine: getMachineInfo(),
  node: process.version,
  date: new Date().toISOString(),
  results,
}
const output = flags.json ? formatJson(report) : flags.markdown ? formatMarkdown(report) : formatTable(report)
if (flags.out === undefined) process.stdout.write(output)
else {
  writeFileSync(flags.out, output)
  log(`report written to ${flags.out}`)
}
