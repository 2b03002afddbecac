// Vitest global setup: when a database URL is missing, its suites skip (outside CI); say so loudly
// at the end of the run, so a green local run is never mistaken for the PostgreSQL/MySQL proofs.
const DATABASES = [
  { variable: 'KOBOMETER_PG_URL', name: 'PostgreSQL', example: 'postgres://postgres@127.0.0.1:5432/test' },
  { variable: 'KOBOMETER_MYSQL_URL', name: 'MySQL/MariaDB', example: 'mysql://root@127.0.0.1:3306/test' },
]

/** Prints which database suites were skipped and how to run them. */
export function teardown(): void {
  const missing = DATABASES.filter((db) => !process.env[db.variable])
  if (missing.length === 0) return
  const lines = missing.map(
    (db) => `  ${db.name}: ${db.variable} is not set, e.g. ${db.variable}=${db.example}`,
  )
  process.stdout.write(
    `\n⚠ SKIPPED: every ${missing.map((db) => db.name).join(' and ')} suite (conformance, exactly-once, faults).\n${lines.join('\n')}\n  Set the variable(s) and run npm test again to run them.\n\n`,
  )
}
