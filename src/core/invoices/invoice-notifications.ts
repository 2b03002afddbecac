import { notificationRecord } from '../notifications/notify.js'
import type { NotificationData } from '../notifications/types.js'
import type { InvoiceCreated, NotificationRecord, Outbox } from '../ports/index.js'
import type { Invoice } from './types.js'

/** The notifications an invoice's own status change reports: one per invoice and type. */
export type InvoiceNotificationType =
  | 'invoice.finalized'
  | 'invoice.paid'
  | 'invoice.uncollectible'
  | 'invoice.voided'

/**
 * What every invoice notification carries about its invoice: enough to write to the customer
 * (number, amounts in minor units with their currency, dates, the customer's name and email as
 * printed) without reading the invoice again.
 *
 * @example
 * invoiceData(invoice) // { invoice_id: 'in_…', number: 'INV-000001', amount_due: 150000, currency: 'NGN', … }
 */
export function invoiceData(invoice: Invoice): NotificationData {
  return {
    invoice_id: invoice.id,
    number: invoice.number,
    customer_id: invoice.customer_id,
    subscription_id: invoice.subscription_id,
    status: invoice.status,
    billing_reason: invoice.billing_reason,
    currency: invoice.currency,
    total: invoice.total,
    amount_due: invoice.amount_due,
    amount_paid: invoice.amount_paid,
    amount_remaining: invoice.amount_due - invoice.amount_paid,
    period_start: invoice.period_start,
    period_end: invoice.period_end,
    due_at: invoice.due_at,
    paid_at: invoice.paid_at,
    voided_at: invoice.voided_at,
    attempt_count: invoice.attempt_count,
    next_payment_attempt: invoice.next_payment_attempt,
    customer_name: invoice.customer_name,
    customer_email: invoice.customer_email,
  }
}

/**
 * The record of one invoice status change, keyed `<type>:<invoice id>`: an invoice is finalized,
 * paid, made uncollectible or voided at most once.
 *
 * @example
 * invoiceRecord(now, 'invoice.paid', paid) // { key: 'invoice.paid:in_…', customer_id: paid.customer_id, … }
 */
export function invoiceRecord(
  now: number,
  type: InvoiceNotificationType,
  invoice: Invoice,
): NotificationRecord {
  return notificationRecord(now, {
    type,
    key: `${type}:${invoice.id}`,
    customer_id: invoice.customer_id,
    data: invoiceData(invoice),
  })
}

/**
 * The outbox of an invoice store change that reports `type` for the invoice it stores.
 *
 * @example
 * await storage.invoices.transition(id, ['open'], patch, invoiceOutbox(ctx.now(), 'invoice.paid'))
 */
export function invoiceOutbox(now: number, type: InvoiceNotificationType): Outbox<Invoice> {
  return (invoice) => [invoiceRecord(now, type, invoice)]
}

/**
 * The outbox of `invoices.create`: `invoice.finalized` for each invoice created final (a draft
 * reports nothing until it is finalized).
 *
 * @example
 * await storage.invoices.create(items, numbering, createdOutbox(now))
 */
export function createdOutbox(now: number): Outbox<InvoiceCreated> {
  return ({ invoice }) =>
    invoice.status === 'draft' ? [] : [invoiceRecord(now, 'invoice.finalized', invoice)]
}
