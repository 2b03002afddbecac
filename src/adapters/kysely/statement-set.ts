import { AlertStatements } from './alert-statements.js'
import { ApiKeyStatements } from './api-key-statements.js'
import { ClosedPeriodStatements } from './closed-period-statements.js'
import { CustomerStatements, PlanStatements } from './customer-plan-statements.js'
import type { DialectQuirks } from './dialect-quirks.js'
import { EntitlementStatements } from './entitlement-statements.js'
import { EventStatements } from './event-statements.js'
import { InvoiceStatements } from './invoice-statements.js'
import { MergeStatements } from './merge-statements.js'
import { MeterHourStatements } from './meter-hour-statements.js'
import { MeterStatements } from './meter-statements.js'
import { NotificationStatements } from './notification-statements.js'
import { PartitionStatements } from './partition-statements.js'
import { PaymentMethodStatements, PaymentStatements } from './payment-statements.js'
import { RollupStatements } from './rollup-statements.js'
import { RollupTotalStatements } from './rollup-total-statements.js'
import { SessionStatements } from './session-statements.js'
import { SubscriptionStatements } from './subscription-statements.js'
import { UsageQueryStatements } from './usage-query-statements.js'

/** All of kobometer's SQL in one dialect, built once per storage. */
export interface StatementSet {
  readonly quirks: DialectQuirks
  readonly events: EventStatements
  /** The events' monthly partitions, where the events are partitioned. */
  readonly partitions: PartitionStatements
  readonly rollups: RollupStatements
  readonly meterHours: MeterHourStatements
  readonly rollupTotals: RollupTotalStatements
  /** The rollups' statements on the minute rollups (kept where the merge is deferred). */
  readonly minuteRollups: RollupStatements
  readonly minuteRollupTotals: RollupTotalStatements
  readonly usage: UsageQueryStatements
  readonly merge: MergeStatements
  readonly meters: MeterStatements
  readonly customers: CustomerStatements
  readonly plans: PlanStatements
  readonly subscriptions: SubscriptionStatements
  readonly invoices: InvoiceStatements
  readonly closedPeriods: ClosedPeriodStatements
  readonly paymentMethods: PaymentMethodStatements
  readonly payments: PaymentStatements
  readonly entitlements: EntitlementStatements
  readonly notifications: NotificationStatements
  readonly alerts: AlertStatements
  readonly apiKeys: ApiKeyStatements
  readonly sessions: SessionStatements
}

/**
 * Builds the statements of one dialect.
 *
 * @example
 * const sql = statementSet(sqliteQuirks)
 * sql.meters.readVersion('shared').sql // 'SELECT meters_version FROM kobometer_state WHERE id = 1'
 */
export function statementSet(quirks: DialectQuirks): StatementSet {
  // Minute rollups have the rollups' columns and key: the same SQL, on their own table.
  const minutes: DialectQuirks = Object.freeze({
    ...quirks,
    rollupShards: 1,
    tables: Object.freeze({ ...quirks.tables, rollups: quirks.tables.minuteRollups }),
  })
  return Object.freeze({
    quirks,
    events: new EventStatements(quirks),
    partitions: new PartitionStatements(quirks),
    rollups: new RollupStatements(quirks),
    meterHours: new MeterHourStatements(quirks),
    rollupTotals: new RollupTotalStatements(quirks),
    minuteRollups: new RollupStatements(minutes),
    minuteRollupTotals: new RollupTotalStatements(minutes),
    usage: new UsageQueryStatements(quirks),
    merge: new MergeStatements(quirks),
    meters: new MeterStatements(quirks),
    customers: new CustomerStatements(quirks),
    plans: new PlanStatements(quirks),
    subscriptions: new SubscriptionStatements(quirks),
    invoices: new InvoiceStatements(quirks),
    closedPeriods: new ClosedPeriodStatements(quirks),
    paymentMethods: new PaymentMethodStatements(quirks),
    payments: new PaymentStatements(quirks),
    entitlements: new EntitlementStatements(quirks),
    notifications: new NotificationStatements(quirks),
    alerts: new AlertStatements(quirks),
    apiKeys: new ApiKeyStatements(quirks),
    sessions: new SessionStatements(quirks),
  })
}
