import type { BillingContext } from '../context.js'
import { getCustomer } from '../customers/customers-service.js'
import { BillingError, ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import { newId } from '../ids.js'
import type { PaymentGateway } from './gateway-port.js'
import type { PaymentMethod, PaymentMethodRecord } from './types.js'

/** What `billing.paymentMethods.attach` takes: an authorization you already hold. */
export interface AttachInput {
  customer_id: string
  gateway: string
  /** Paystack: the reusable `authorization_code` (`AUTH_…`). */
  authorization_code?: string
  /** Flutterwave: the card `token` (`flw-t1nf-…`). */
  token?: string
  email: string
}

/** What `billing.paymentMethods.attachFromTransaction` takes: a first payment to verify. */
export interface AttachFromTransactionInput {
  customer_id: string
  gateway: string
  /** The reference of the customer's first payment through the gateway's checkout. */
  reference: string
}

/** Whose payment methods `billing.paymentMethods.list` returns. */
export interface ListPaymentMethodsQuery {
  customer_id: string
}

/**
 * The configured gateway of that name, or `GATEWAY_NOT_CONFIGURED`.
 *
 * @example
 * const paystack = gatewayOf(ctx, 'paystack', 'gateway')
 */
export function gatewayOf(ctx: BillingContext, name: string, path = 'gateway'): PaymentGateway {
  const gateway =
    typeof name === 'string' && Object.hasOwn(ctx.gateways, name) ? ctx.gateways[name] : undefined
  if (gateway === undefined) {
    throw new BillingError(
      ErrorCode.GATEWAY_NOT_CONFIGURED,
      `gateway ${JSON.stringify(name)} is not configured: pass it in createBilling({ gateways: { ${String(name)}: … } })`,
      { path },
    )
  }
  return gateway
}

/** A payment method without its authorization: what the API returns. */
export function publicMethod(record: PaymentMethodRecord): PaymentMethod {
  const { authorization: _a, detached_at: _d, ...method } = record
  return method
}

async function store(
  ctx: BillingContext,
  fields: Pick<PaymentMethodRecord, 'customer_id' | 'gateway' | 'email' | 'authorization' | 'card'>,
): Promise<PaymentMethod> {
  const now = ctx.now()
  const record: PaymentMethodRecord = {
    id: newId('pm', now),
    ...fields,
    created_at: new Date(now).toISOString(),
    metadata: {},
    detached_at: null,
  }
  await ctx.storage.paymentMethods.insert(record)
  return publicMethod(record)
}

/**
 * `billing.paymentMethods.attach`: stores a reusable authorization for a customer; the newest
 * attached method is the one charged.
 *
 * @example
 * await attachPaymentMethod(ctx, { customer_id: 'cus_1', gateway: 'paystack', authorization_code: 'AUTH_x', email: 'a@b.ng' })
 */
export async function attachPaymentMethod(ctx: BillingContext, input: AttachInput): Promise<PaymentMethod> {
  const customer = await getCustomer(ctx, input?.customer_id)
  gatewayOf(ctx, input.gateway)
  const authorization = input.authorization_code ?? input.token
  if (typeof authorization !== 'string' || authorization.length === 0 || authorization.length > 500) {
    throw new ValidationError(
      ErrorCode.VALIDATION_ERROR,
      'authorization_code (Paystack) or token (Flutterwave) is required',
      {
        path: input.authorization_code === undefined ? 'token' : 'authorization_code',
      },
    )
  }
  if (typeof input.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(input.email)) {
    throw new ValidationError(
      ErrorCode.VALIDATION_ERROR,
      'email must be the email the authorization belongs to',
      { path: 'email' },
    )
  }
  return store(ctx, {
    customer_id: customer.id,
    gateway: input.gateway,
    email: input.email,
    authorization,
    card: null,
  })
}

/**
 * `billing.paymentMethods.attachFromTransaction`: verifies a customer's first payment (made
 * through the gateway's checkout) and stores its reusable card. A card the gateway marks not
 * reusable → `NOT_REUSABLE`.
 *
 * @example
 * await attachFromTransaction(ctx, { customer_id: 'cus_1', gateway: 'paystack', reference: 'first-pay-1' })
 */
export async function attachFromTransaction(
  ctx: BillingContext,
  input: AttachFromTransactionInput,
): Promise<PaymentMethod> {
  const customer = await getCustomer(ctx, input?.customer_id)
  const gateway = gatewayOf(ctx, input.gateway)
  const found = await gateway.verifyAuthorization(input.reference)
  if (found === null) {
    throw new NotFoundError(`${input.gateway} has no transaction ${input.reference}`, {
      id: input.reference,
      resource: 'transaction',
    })
  }
  if (
    found.status !== 'succeeded' ||
    !found.reusable ||
    found.authorization === null ||
    found.email === null
  ) {
    throw new ValidationError(
      ErrorCode.NOT_REUSABLE,
      `transaction ${input.reference} did not leave a reusable card (status ${found.status}); ask the customer to pay by card`,
      { path: 'reference' },
    )
  }
  return store(ctx, {
    customer_id: customer.id,
    gateway: input.gateway,
    email: found.email,
    authorization: found.authorization,
    card: found.card,
  })
}

/**
 * The method charged for a customer: the newest one attached and not detached, or null.
 *
 * @example
 * const method = await defaultMethod(ctx, 'cus_1')
 */
export async function defaultMethod(
  ctx: BillingContext,
  customer_id: string,
): Promise<PaymentMethodRecord | null> {
  const methods = await ctx.storage.paymentMethods.list(customer_id)
  return methods.filter((m) => m.detached_at === null).pop() ?? null
}

/**
 * `billing.paymentMethods.list`: a customer's attached methods, newest (the default) last.
 *
 * @example
 * const methods = await listPaymentMethods(ctx, { customer_id: 'cus_1' })
 */
export async function listPaymentMethods(
  ctx: BillingContext,
  query: ListPaymentMethodsQuery,
): Promise<PaymentMethod[]> {
  const customer = await getCustomer(ctx, query?.customer_id)
  const methods = await ctx.storage.paymentMethods.list(customer.id)
  return methods.filter((m) => m.detached_at === null).map(publicMethod)
}

/**
 * `billing.paymentMethods.detach`: the method is no longer charged (kept for the record).
 *
 * @example
 * await detachPaymentMethod(ctx, 'pm_…')
 */
export async function detachPaymentMethod(ctx: BillingContext, id: string): Promise<PaymentMethod> {
  const method = typeof id === 'string' ? await ctx.storage.paymentMethods.get(id) : null
  if (method === null || method.detached_at !== null) {
    throw new NotFoundError(`payment method ${id} does not exist`, { id, resource: 'payment_method' })
  }
  await ctx.storage.paymentMethods.save({ ...method, detached_at: new Date(ctx.now()).toISOString() })
  return publicMethod(method)
}
