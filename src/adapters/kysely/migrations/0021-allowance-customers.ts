import { type Kysely, sql } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { TABLE } from '../schema.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, type KobometerMigration, schemaOf, tableOf } from './migration-kit.js'

async function createAllowanceCustomers(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  await createTable(
    schemaOf(db, ddl)
      .createTable(TABLE.allowanceCustomers)
      .addColumn('customer_id', ddl.key, (c) => c.primaryKey()),
    ddl,
    true,
  )
  await convertToNoPad(db, quirks, [TABLE.allowanceCustomers])
  // Every customer with an allowance gets its row.
  await sql`INSERT INTO ${tableOf(ddl, TABLE.allowanceCustomers)} (customer_id)
    SELECT DISTINCT customer_id FROM ${tableOf(ddl, TABLE.allowances)}`.execute(db)
}

/**
 * Migration `0021_allowance_customers`: a lock row per customer (`kobometer_allowance_customers`),
 * filled here from the stored allowances; on PostgreSQL and MySQL appends and opens add the rows of
 * customers they weigh or open later. An append locks it for each customer whose limited events it
 * weighs, then only the allowances of the periods its events fall in; an open of any of the
 * customer's periods locks it too, so the two still wait for each other. Before, an append locked
 * every allowance the customer ever had: after 24 monthly periods, limited batches on PostgreSQL
 * ran at a third of a new customer's speed.
 *
 * @example
 * await allowanceCustomersMigration.up(db, postgresQuirks('public'))
 */
export const allowanceCustomersMigration: KobometerMigration = Object.freeze({
  name: '0021_allowance_customers',
  up: createAllowanceCustomers,
})
