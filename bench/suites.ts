import alerts from './alerts.bench.js'
import dashboard from './dashboard.bench.js'
import entitlements from './entitlements.bench.js'
import type { Suite } from './harness.js'
import http from './http.bench.js'
import ingestMysql from './ingest-mysql.bench.js'
import ingestPostgres from './ingest-postgres.bench.js'
import ingestSqlite from './ingest-sqlite.bench.js'
import invoicesPostgres from './invoices-postgres.bench.js'
import invoicesSqlite from './invoices-sqlite.bench.js'
import memory from './memory.bench.js'
import pricing from './pricing.bench.js'
import scalePostgres from './scale-postgres.bench.js'
import usageSqlite from './usage-sqlite.bench.js'

/** Every suite `bench/run.ts` knows about, run in this order. Add new `*.bench.ts` suites here. */
export const suites: readonly Suite[] = [
  pricing,
  ingestSqlite,
  usageSqlite,
  invoicesSqlite,
  ingestPostgres,
  scalePostgres,
  invoicesPostgres,
  ingestMysql,
  entitlements,
  alerts,
  http,
  dashboard,
  memory,
]
