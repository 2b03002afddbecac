/**
 * What `--filter` matches a case against: `<suite>/<case>`, e.g. `ingest-sqlite/batch ingest, UUIDv7 keys`.
 * @example casePath('pricing', 'per_unit') // 'pricing/per_unit'
 */
export function casePath(suite: string, caseName: string): string {
  return `${suite}/${caseName}`
}

/**
 * True when a case runs: with no filter every case runs; otherwise a case runs when any filter is
 * a substring of its path, ignoring case. So `--filter ingest` picks whole suites and
 * `--filter "ingest-sqlite/batch ingest, uuidv4"` one case of one suite.
 * @example isSelected('pricing', 'per_unit', ['PER_UNIT']) // true
 */
export function isSelected(suite: string, caseName: string, filters: readonly string[]): boolean {
  if (filters.length === 0) return true
  const path = casePath(suite, caseName).toLowerCase()
  return filters.some((f) => path.includes(f.toLowerCase()))
}
