import type { Customer } from '../../core/customers/types.js'
import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import type { Plan } from '../../core/plans/types.js'
import type {
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  KeyPageQuery,
  PeriodClose,
} from '../../core/ports.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'
import { closePeriodsScript } from './closed-periods.js'
import { DocumentOps } from './document-ops.js'
import {
  createInvoicesOnceScript,
  finalizeInvoiceScript,
  updateInvoiceStatusScript,
} from './invoice-scripts.js'
import type { StatementSet } from './statement-set.js'
import type { TransactionRunner } from './transaction-runner.js'

/**
 * The billing half of the SQL storage: customers, plans, subscriptions and invoices as JSON
 * documents, each promise kept by one statement (insert skipping a taken key, compare-and-set
 * UPDATE) or one write transaction. `KyselyStorage` forwards to it and wraps failures.
 *
 * @example
 * const docs = new SqlBillingDocuments(runner, statementSet(sqliteQuirks))
 * await docs.insertCustomer(customer) // true the first time, false after
 */
export class SqlBillingDocuments {
  readonly #runner: TransactionRunner
  readonly #sql: StatementSet
  readonly #ops: DocumentOps

  constructor(runner: TransactionRunner, statements: StatementSet) {
    this.#runner = runner
    this.#sql = statements
    this.#ops = new DocumentOps(runner)
  }

  insertCustomer(customer: Customer): Promise<boolean> {
    return this.#ops.changed(this.#sql.customers.insert(customer))
  }
  getCustomer(id: string): Promise<Customer | null> {
    return this.#ops.one<Customer>(this.#sql.customers.get(id))
  }
  async saveCustomer(customer: Customer): Promise<void> {
    await this.#ops.write(this.#sql.customers.save(customer))
  }
  listCustomers(query: KeyPageQuery): Promise<Customer[]> {
    return this.#ops.all<Customer>(this.#sql.customers.page(query))
  }

  insertPlanVersion(plan: Plan): Promise<boolean> {
    return this.#ops.changed(this.#sql.plans.insert(plan))
  }
  getPlanVersions(code: string): Promise<Plan[]> {
    return this.#ops.all<Plan>(this.#sql.plans.versions(code))
  }
  listPlans(query: KeyPageQuery): Promise<Plan[]> {
    return this.#ops.all<Plan>(this.#sql.plans.latestPage(query))
  }

  async insertSubscription(subscription: SubscriptionRecord): Promise<void> {
    await this.#ops.write(this.#sql.subscriptions.insert(subscription))
  }
  getSubscription(id: string): Promise<SubscriptionRecord | null> {
    return this.#ops.one<SubscriptionRecord>(this.#sql.subscriptions.get(id))
  }
  listSubscriptions(query: KeyPageQuery & { customer_id?: string }): Promise<SubscriptionRecord[]> {
    return this.#ops.all<SubscriptionRecord>(this.#sql.subscriptions.page(query))
  }
  updateSubscription(subscription: SubscriptionRecord): Promise<boolean> {
    return this.#ops.changed(this.#sql.subscriptions.update(subscription))
  }
  listDueSubscriptions(query: KeyPageQuery & { due_by: number }): Promise<SubscriptionRecord[]> {
    return this.#ops.all<SubscriptionRecord>(this.#sql.subscriptions.due(query))
  }

  createInvoicesOnce(
    items: readonly InvoiceCreation[],
    numbering: InvoiceNumbering,
  ): Promise<InvoiceCreated[]> {
    return this.#runner.write(() => createInvoicesOnceScript(this.#sql, items, numbering))
  }
  getInvoice(id: string): Promise<Invoice | null> {
    return this.#ops.one<Invoice>(this.#sql.invoices.get(id))
  }
  listInvoices(query: InvoiceQuery): Promise<Invoice[]> {
    return this.#ops.all<Invoice>(this.#sql.invoices.page(query))
  }
  updateDraftInvoice(invoice: Invoice): Promise<boolean> {
    // A draft stays a draft without a number, whatever the caller's copy says (as in memory).
    const doc = JSON.stringify({ ...invoice, status: 'draft', number: null } satisfies Invoice)
    return this.#ops.changed(this.#sql.invoices.updateDraft(invoice.id, doc))
  }
  async closePeriods(closes: readonly PeriodClose[]): Promise<void> {
    if (closes.length === 0) return
    await this.#runner.write(() => closePeriodsScript(this.#sql, closes))
  }
  finalizeInvoice(invoice: Invoice, numbering: InvoiceNumbering): Promise<Invoice | null> {
    return this.#runner.write(() => finalizeInvoiceScript(this.#sql, invoice, numbering))
  }
  updateInvoiceStatus(
    id: string,
    from: readonly InvoiceStatus[],
    patch: InvoiceStatusPatch,
  ): Promise<Invoice | null> {
    if (from.length === 0) return Promise.resolve(null)
    return this.#runner.write(() => updateInvoiceStatusScript(this.#sql, id, from, patch))
  }
}
