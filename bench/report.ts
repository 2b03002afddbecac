import type { Result } from './harness.js'
import type { MachineInfo } from './machine.js'

/** The whole document printed by `--json`. */
export interface BenchReport {
  machine: MachineInfo
  node: string
  date: string
  results: Result[]
}

const fmt = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const FORMATS = [fmt(0), fmt(1), fmt(2), fmt(3)] as const

/**
 * Human-friendly number: thousands separators, fewer decimals as the magnitude grows.
 * @example formatNumber(1234567.8) // '1,234,568'; formatNumber(12.345) // '12.35'; formatNumber(250) // '250'
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  const abs = Math.abs(n)
  const f =
    abs >= 1000 || Number.isInteger(n)
      ? FORMATS[0]
      : abs >= 100
        ? FORMATS[1]
        : abs >= 1
          ? FORMATS[2]
          : FORMATS[3]
  return f.format(n)
}

type Align = 'left' | 'right'

/** `min–max` of a figure measured over several rounds; empty for a figure taken once. */
const range = (rounds: number | undefined, min: number | undefined, max: number | undefined): string =>
  rounds === undefined || rounds < 2 || min === undefined || max === undefined
    ? ''
    : `${formatNumber(min)}–${formatNumber(max)}`

/** Rounds behind a row: `5`, or `5/3` when kobometer and its baseline differ. */
const roundsCell = (r: Result): string => {
  const own = r.rounds ?? 1
  const base = r.baseline === undefined ? own : (r.baseline_rounds ?? 1)
  return own === base ? String(own) : `${own}/${base}`
}

const COLUMNS: ReadonlyArray<{ title: string; align: Align; cell: (r: Result) => string }> = [
  { title: 'name', align: 'left', cell: (r) => r.name },
  { title: 'median', align: 'right', cell: (r) => formatNumber(r.value) },
  { title: 'min–max', align: 'right', cell: (r) => range(r.rounds, r.min, r.max) },
  { title: 'unit', align: 'left', cell: (r) => r.unit },
  {
    title: 'baseline',
    align: 'right',
    cell: (r) => (r.baseline === undefined ? '' : formatNumber(r.baseline)),
  },
  {
    title: 'min–max',
    align: 'right',
    cell: (r) => (r.baseline === undefined ? '' : range(r.baseline_rounds, r.baseline_min, r.baseline_max)),
  },
  { title: 'ratio', align: 'right', cell: (r) => (r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`) },
  { title: 'n', align: 'right', cell: roundsCell },
  { title: 'target', align: 'left', cell: (r) => r.target ?? '' },
  { title: 'met', align: 'left', cell: (r) => (r.met === undefined ? '' : r.met ? '✓' : '✗') },
]

/** How to read the table, printed under its header line. */
export const LEGEND = [
  'median: of n rounds; rounds alternate between kobometer and its baseline. min–max: the lowest and',
  'highest round. ratio: of the two medians, >= 1 means kobometer is at least as fast. n = 1: measured',
  'once, no spread.',
].join('\n')

/**
 * Aligned text table with a one-line machine header and the legend. An empty result list gives just
 * the header row.
 * @example process.stdout.write(formatTable(report))
 */
export function formatTable(report: BenchReport): string {
  const { machine: m } = report
  const header =
    `kobometer bench · node ${report.node} · ${m.platform}/${m.arch} · ${m.cpus}× ${m.cpu_model}` +
    ` · ${m.memory_gb} GB · ${report.date}`
  const rows = report.results.map((r) => COLUMNS.map((c) => c.cell(r)))
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const line = (cells: readonly string[]) =>
    COLUMNS.map((c, i) => {
      const cell = cells[i] ?? ''
      const width = widths[i] ?? 0
      return c.align === 'right' ? cell.padStart(width) : cell.padEnd(width)
    })
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '─'.repeat(w)).join('  ')
  return [header, LEGEND, '', line(COLUMNS.map((c) => c.title)), rule, ...rows.map(line), ''].join('\n')
}

/**
 * The same rows as a Markdown table (GitHub style, numbers right-aligned) under a one-line machine
 * header: what the README's benchmark table is pasted from.
 * @example writeFileSync('table.md', formatMarkdown(report))
 */
export function formatMarkdown(report: BenchReport): string {
  const { machine: m } = report
  const header =
    `Measured ${report.date.slice(0, 10)} · node ${report.node} · ${m.platform}/${m.arch} · ` +
    `${m.cpus}× ${m.cpu_model} · ${m.memory_gb} GB`
  const escapePipes = (cell: string) => cell.replaceAll('|', '\\|')
  const row = (cells: readonly string[]) => `| ${cells.map(escapePipes).join(' | ')} |`
  const rule = `| ${COLUMNS.map((c) => (c.align === 'right' ? '--:' : '---')).join(' | ')} |`
  const rows = report.results.map((r) => row(COLUMNS.map((c) => c.cell(r))))
  return [header, '', row(COLUMNS.map((c) => c.title)), rule, ...rows, ''].join('\n')
}

/**
 * The machine-readable report: exactly one JSON document (pretty-printed, trailing newline).
 * @example process.stdout.write(formatJson(report))
 */
export function formatJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
