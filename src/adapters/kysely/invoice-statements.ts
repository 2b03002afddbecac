import { shardHash } from '../../core/invoices/run-shard.js'
import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import type { InvoiceQuery, InvoiceTotalsQuery } from '../../core/ports/index.js'
import { type ColumnSpec, type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { invoiceSummary } from './invoice-summary.js'
import { keysetPage, type PageFilter, SHARD_HASH_COLUMN, shardCondition } from './keyset-page.js'
import type { SqlOp } from './sql-script.js'

const INVOICE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', kind: 'text' },
  { name: 'subscription_id', kind: 'text' },
  { name: 'period_end', kind: 'text' },
  { name: 'customer_id', kind: 'text' },
  { name: 'status', kind: 'text' },
  { name: 'doc', kind: 'text' },
  { name: 'finalized_at', kind: 'int' },
  { name: 'currency', kind: 'text' },
  { name: 'total', kind: 'int' },
  { name: 'open_due_at', kind: 'int' },
  { name: SHARD_HASH_COLUMN, kind: 'int' },
]
const INVOICE_COLUMN_LIST = INVOICE_COLUMNS.map((c) => c.name).join(', ')

/**
 * The SQL of invoices and of their number sequences. An invoice is a JSON document with `status`
 * broken out: every transition is a conditional UPDATE on it, so one caller wins. The unique
 * (subscription_id, period_end) makes creation idempotent; a one-off invoice (a top-up), which
 * closes no period, keeps `one-off:<key>` in period_end, a value no ISO period end can take.
 *
 * @example
 * const invoices = new InvoiceStatements(sqliteQuirks)
 * invoices.markFinal(id, 'open') // UPDATE … SET status = ? WHERE id = ? AND status = 'draft'
 */
export class InvoiceStatements {
  readonly #q: DialectQuirks
  readonly #insertSql: string
  readonly #nextSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    const { invoices, sequences } = quirks.tables
    this.#insertSql = quirks.insertSkippingExisting(
      invoices,
      INVOICE_COLUMN_LIST,
      valuesRow(quirks, INVOICE_COLUMNS.length),
      'subscription_id, period_end',
    )
    // One statement that takes the row's write lock straight away: an insert-then-update would
    // let concurrent first callers share a lock they each need to upgrade (a MySQL deadlock).
    this.#nextSql = quirks.upsert(
      sequences,
      'name, value',
      valuesRow(quirks, 2),
      'name',
      (r, x) => `value = ${r('value')} + ${x('value')}`,
    )
  }

  /**
   * Inserts an invoice unless its (subscription_id, period_end) exists: 0 or 1 row changed.
   * `periodKey` fills the period_end column instead of the invoice's own (a one-off invoice's key).
   */
  insertOnce(invoice: Invoice, doc: string, periodKey: string = invoice.period_end): SqlOp {
    const { id, subscription_id, customer_id, status } = invoice
    return {
      sql: this.#insertSql,
      params: [
        id,
        subscription_id,
        periodKey,
        customer_id,
        status,
        doc,
        ...invoiceSummary(invoice),
        shardHash(subscription_id),
      ],
    }
  }

  /** Deletes the invoices with these ids (at most `maxRowsPerStatement`). */
  deleteMany(ids: readonly string[]): SqlOp {
    const among = this.#q.textIn('id', ids)
    return { sql: `DELETE FROM ${this.#q.tables.invoices} WHERE ${among.sql}`, params: among.params }
  }

  /**
   * Inserts invoices of periods (at most `maxRowsPerStatement`) in one statement; a taken id or
   * (subscription_id, period_end) fails it.
   */
  insertMany(invoices: readonly Invoice[]): SqlOp {
    const source = this.#rows(invoices)
    return {
      sql: `INSERT INTO ${this.#q.tables.invoices} (${INVOICE_COLUMN_LIST}) ${source.sql}`,
      params: source.params,
    }
  }

  /**
   * {@link insertOnce} for several invoices of periods (at most `maxRowsPerStatement`) in one
   * statement, in their order; which went in, {@link idsAmong} tells. An invoice `placeholder`
   * says is stored with an empty document, for a transaction that rewrites it before it commits.
   */
  insertManyOnce(invoices: readonly Invoice[], placeholder: (invoice: Invoice) => boolean): SqlOp {
    const source = this.#rows(invoices, placeholder)
    const sql = this.#q.insertSkippingExisting(
      this.#q.tables.invoices,
      INVOICE_COLUMN_LIST,
      source.sql,
      'subscription_id, period_end',
    )
    return { sql, params: source.params }
  }

  /** The ids among `ids` that are stored (at most `maxRowsPerStatement`). */
  idsAmong(ids: readonly string[]): SqlOp {
    const among = this.#q.textIn('id', ids)
    return { sql: `SELECT id FROM ${this.#q.tables.invoices} WHERE ${among.sql}`, params: among.params }
  }

  #rows(invoices: readonly Invoice[], placeholder: (invoice: Invoice) => boolean = () => false): SqlOp {
    const rows = invoices.map((invoice) => [
      invoice.id,
      invoice.subscription_id,
      invoice.period_end,
      invoice.customer_id,
      invoice.status,
      placeholder(invoice) ? '{}' : JSON.stringify(invoice),
      ...invoiceSummary(invoice),
      shardHash(invoice.subscription_id),
    ])
    return this.#q.rowSource(INVOICE_COLUMNS, rows)
  }

  byPeriod(subscriptionId: string, periodEnd: string): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `SELECT doc FROM ${this.#q.tables.invoices} WHERE subscription_id = ${p(1)} AND period_end = ${p(2)}`,
      params: [subscriptionId, periodEnd],
    }
  }

  /** One invoice; `locked` holds its row until commit, for a read-then-write transition. */
  get(id: string, locked = false): SqlOp {
    const q = this.#q
    const suffix = locked ? q.lockingReadSuffix : ''
    return {
      sql: `SELECT doc FROM ${q.tables.invoices} WHERE id = ${q.placeholder(1)}${suffix}`,
      params: [id],
    }
  }

  page(query: InvoiceQuery): SqlOp {
    const filters: PageFilter[] = []
    if (query.customer_id !== undefined) filters.push(['customer_id', '=', query.customer_id])
    if (query.subscription_id !== undefined) filters.push(['subscription_id', '=', query.subscription_id])
    if (query.status !== undefined) filters.push(['status', '=', query.status])
    if (query.due_before !== undefined) filters.push(['open_due_at', '<', query.due_before])
    const select = `SELECT doc FROM ${this.#q.tables.invoices}`
    return keysetPage(this.#q, select, 'id', filters, query, shardCondition(query.shard))
  }

  /** Replaces a draft's document; 0 rows once it is no longer a draft. */
  updateDraft(id: string, doc: string): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `UPDATE ${this.#q.tables.invoices} SET doc = ${p(1)} WHERE id = ${p(2)} AND status = 'draft'`,
      params: [doc, id],
    }
  }

  /** Moves a draft to a final status, locking its row; 0 rows when it is no longer a draft. */
  markFinal(id: string, status: InvoiceStatus): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `UPDATE ${this.#q.tables.invoices} SET status = ${p(1)} WHERE id = ${p(2)} AND status = 'draft'`,
      params: [status, id],
    }
  }

  /**
   * Writes status and document of an invoice still in status `from`, with the summary columns
   * totals and past-due lists are read from (finalization time, currency, total, open due time).
   */
  replace(from: InvoiceStatus, invoice: Invoice): SqlOp {
    const p = this.#q.placeholder
    return {
      sql:
        `UPDATE ${this.#q.tables.invoices} SET status = ${p(1)}, doc = ${p(2)}, finalized_at = ${p(3)},` +
        ` currency = ${p(4)}, total = ${p(5)}, open_due_at = ${p(6)} WHERE id = ${p(7)} AND status = ${p(8)}`,
      params: [invoice.status, JSON.stringify(invoice), ...invoiceSummary(invoice), invoice.id, from],
    }
  }

  /**
   * Finalized invoices with `finalized_at` in `[from, to)`, counted and summed per currency and
   * status, through the index on `finalized_at` (set only on open, paid and uncollectible ones).
   */
  totals(query: InvoiceTotalsQuery): SqlOp {
    const p = this.#q.placeholder
    return {
      sql:
        `SELECT currency, status, COUNT(*) AS count, SUM(total) AS total FROM ${this.#q.tables.invoices}` +
        ` WHERE finalized_at >= ${p(1)} AND finalized_at < ${p(2)}` +
        ' GROUP BY currency, status ORDER BY currency, status',
      params: [query.from, query.to],
    }
  }

  /** Advances a named sequence by `by` (creating it at `by`), locking its row until commit. */
  nextNumber(name: string, by = 1): SqlOp {
    return { sql: this.#nextSql, params: [name, by] }
  }

  readNumber(name: string): SqlOp {
    const q = this.#q
    return { sql: `SELECT value FROM ${q.tables.sequences} WHERE name = ${q.placeholder(1)}`, params: [name] }
  }
}
