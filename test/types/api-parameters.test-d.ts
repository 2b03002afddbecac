// Checked by `tsc --noEmit -p .` (npm run typecheck), never run: every parameter of the public API
// has an exported name, `Billing` takes exactly that type, and each named type keeps the shape the
// API has always accepted, so adding the names changed no caller's code.
import { expectTypeOf } from 'vitest'
import type {
  Alert,
  AlertThreshold,
  ApiKey,
  ApiKeyScope,
  AttachFromTransactionInput,
  Billing,
  CancelSubscriptionOptions,
  ChangePlanOptions,
  CheckoutLink,
  CollectInput,
  CreateAlertInput,
  CreateApiKeyInput,
  CreateCheckoutInput,
  CreatedApiKey,
  CreateTopUpInput,
  CustomerSearchInput,
  Invoice,
  InvoicePreview,
  InvoiceRunOptions,
  InvoiceStatus,
  InvoiceTotal,
  InvoiceTotalsInput,
  ListInvoicesQuery,
  ListPaymentMethodsQuery,
  ListPaymentsQuery,
  ListQuery,
  ListSubscriptionsQuery,
  NearLimitAllowance,
  NearLimitInput,
  Page,
  PortalSession,
  PortalSessionInput,
  PreviewInvoiceQuery,
  RefundInput,
  RenderInvoiceOptions,
  RunOptions,
  Session,
  SessionListQuery,
  SessionOwnerInput,
  SignInInput,
  SignInResult,
  UsageSeries,
  UsageSeriesInput,
  UsageTop,
  UsageTopInput,
  VerifiedSession,
  VerifyCheckoutInput,
  VerifyInput,
} from '../../src/index.js'

expectTypeOf<ListQuery>().toEqualTypeOf<{ limit?: number; cursor?: string }>()
expectTypeOf<ListSubscriptionsQuery>().toEqualTypeOf<{
  limit?: number
  cursor?: string
  customer_id?: string
}>()
expectTypeOf<CancelSubscriptionOptions>().toEqualTypeOf<{ at_period_end?: boolean }>()
expectTypeOf<ChangePlanOptions>().toEqualTypeOf<{ plan_code: string; at?: 'period_end' }>()
expectTypeOf<ListInvoicesQuery>().toEqualTypeOf<{
  limit?: number
  cursor?: string
  customer_id?: string
  subscription_id?: string
  status?: InvoiceStatus
  past_due?: boolean
}>()
expectTypeOf<PreviewInvoiceQuery>().toEqualTypeOf<{ customer_id: string; subscription_id?: string }>()
expectTypeOf<RenderInvoiceOptions>().toEqualTypeOf<{ format?: 'text' | 'html' }>()
expectTypeOf<AttachFromTransactionInput>().toEqualTypeOf<{
  customer_id: string
  gateway: string
  reference: string
}>()
expectTypeOf<ListPaymentMethodsQuery>().toEqualTypeOf<{ customer_id: string }>()
expectTypeOf<CollectInput>().toEqualTypeOf<{ invoice_id: string }>()
expectTypeOf<ListPaymentsQuery>().toEqualTypeOf<{
  limit?: number
  cursor?: string
  invoice_id?: string
  customer_id?: string
}>()
expectTypeOf<RefundInput>().toEqualTypeOf<{ payment_id: string; amount?: number; idempotency_key?: string }>()
expectTypeOf<CreateCheckoutInput>().toEqualTypeOf<{
  invoice_id: string
  gateway: string
  callback_url: string
  email?: string
}>()
expectTypeOf<VerifyCheckoutInput>().toEqualTypeOf<{ reference: string }>()
expectTypeOf<CheckoutLink>().toEqualTypeOf<{ url: string; reference: string; payment_id: string }>()

type Params<F> = F extends (...args: infer A) => unknown ? A : never

expectTypeOf<Params<Billing['customers']['list']>>().toEqualTypeOf<[query?: ListQuery]>()
expectTypeOf<Params<Billing['plans']['list']>>().toEqualTypeOf<[query?: ListQuery]>()
expectTypeOf<Params<Billing['subscriptions']['list']>>().toEqualTypeOf<[query?: ListSubscriptionsQuery]>()
expectTypeOf<Params<Billing['subscriptions']['cancel']>>().toEqualTypeOf<
  [id: string, options?: CancelSubscriptionOptions]
>()
expectTypeOf<Params<Billing['subscriptions']['changePlan']>>().toEqualTypeOf<
  [id: string, options: ChangePlanOptions]
>()
expectTypeOf<Params<Billing['invoices']['run']>>().toEqualTypeOf<[options?: InvoiceRunOptions]>()
expectTypeOf<Params<Billing['invoices']['preview']>>().toEqualTypeOf<[query: PreviewInvoiceQuery]>()
expectTypeOf<Params<Billing['invoices']['list']>>().toEqualTypeOf<[query?: ListInvoicesQuery]>()
expectTypeOf<Params<Billing['invoices']['render']>>().toEqualTypeOf<
  [id: string, options?: RenderInvoiceOptions]
>()
expectTypeOf<Params<Billing['paymentMethods']['attachFromTransaction']>>().toEqualTypeOf<
  [input: AttachFromTransactionInput]
>()
expectTypeOf<Params<Billing['paymentMethods']['list']>>().toEqualTypeOf<[query: ListPaymentMethodsQuery]>()
expectTypeOf<Params<Billing['payments']['collect']>>().toEqualTypeOf<[input: CollectInput]>()
expectTypeOf<Params<Billing['payments']['list']>>().toEqualTypeOf<[query: ListPaymentsQuery]>()
expectTypeOf<Params<Billing['payments']['refund']>>().toEqualTypeOf<[input: RefundInput]>()
expectTypeOf<Params<Billing['checkout']['create']>>().toEqualTypeOf<[input: CreateCheckoutInput]>()
expectTypeOf<Params<Billing['checkout']['verify']>>().toEqualTypeOf<[input: VerifyCheckoutInput]>()
expectTypeOf<ReturnType<Billing['checkout']['create']>>().toEqualTypeOf<Promise<CheckoutLink>>()
expectTypeOf<Params<Billing['topUps']['create']>>().toEqualTypeOf<[input: CreateTopUpInput]>()
expectTypeOf<ReturnType<Billing['topUps']['create']>>().toEqualTypeOf<Promise<Invoice>>()
expectTypeOf<Params<Billing['alerts']['create']>>().toEqualTypeOf<[input: CreateAlertInput]>()
expectTypeOf<ReturnType<Billing['alerts']['create']>>().toEqualTypeOf<Promise<Alert>>()
expectTypeOf<CreateAlertInput>().toEqualTypeOf<{
  meter: string
  plan_code?: string
  customer_id?: string
  thresholds: AlertThreshold[]
}>()
expectTypeOf<Params<Billing['apiKeys']['create']>>().toEqualTypeOf<[input: CreateApiKeyInput]>()
expectTypeOf<ReturnType<Billing['apiKeys']['create']>>().toEqualTypeOf<Promise<CreatedApiKey>>()
expectTypeOf<Params<Billing['apiKeys']['revoke']>>().toEqualTypeOf<[id: string]>()
expectTypeOf<ReturnType<Billing['apiKeys']['revoke']>>().toEqualTypeOf<Promise<ApiKey>>()
expectTypeOf<CreateApiKeyInput>().toEqualTypeOf<{
  name: string
  scopes: ApiKeyScope[]
  expires_at?: Date | string | number
}>()
expectTypeOf<Params<Billing['sessions']['signIn']>>().toEqualTypeOf<[input: SignInInput]>()
expectTypeOf<ReturnType<Billing['sessions']['signIn']>>().toEqualTypeOf<Promise<SignInResult>>()
expectTypeOf<Params<Billing['sessions']['verify']>>().toEqualTypeOf<[input: VerifyInput]>()
expectTypeOf<ReturnType<Billing['sessions']['verify']>>().toEqualTypeOf<Promise<VerifiedSession | null>>()
expectTypeOf<Params<Billing['sessions']['verifyCsrf']>>().toEqualTypeOf<
  [session: VerifiedSession, csrf_token: unknown]
>()
expectTypeOf<Params<Billing['sessions']['revoke']>>().toEqualTypeOf<[id: string]>()
expectTypeOf<ReturnType<Billing['sessions']['revoke']>>().toEqualTypeOf<Promise<Session>>()
expectTypeOf<Params<Billing['sessions']['revokeAll']>>().toEqualTypeOf<[owner: SessionOwnerInput]>()
expectTypeOf<Params<Billing['sessions']['list']>>().toEqualTypeOf<[query?: SessionListQuery]>()
expectTypeOf<Params<Billing['portal']['createSession']>>().toEqualTypeOf<[input: PortalSessionInput]>()
expectTypeOf<ReturnType<Billing['portal']['createSession']>>().toEqualTypeOf<Promise<PortalSession>>()
expectTypeOf<PortalSessionInput>().toEqualTypeOf<{
  customer_id: string
  expires_in_ms?: number
  return_url?: string
}>()
expectTypeOf<Params<Billing['tick']>>().toEqualTypeOf<[options?: RunOptions]>()
expectTypeOf<Awaited<ReturnType<Billing['invoices']['preview']>>>().toEqualTypeOf<InvoicePreview>()

// The names at work: queries written once, checked where they are written, passed as they are.
export const openInvoices = { customer_id: 'cus_1', status: 'open', limit: 50 } satisfies ListInvoicesQuery
export const atPeriodEnd = { at_period_end: true } satisfies CancelSubscriptionOptions
export const partialRefund = { payment_id: 'py_1', amount: 50_000 } satisfies RefundInput
export const twoBlocks = { customer_id: 'cus_1', meter: 'api_calls', blocks: 2 } satisfies CreateTopUpInput

export async function useNames(billing: Billing): Promise<void> {
  await billing.invoices.list(openInvoices)
  await billing.subscriptions.cancel('sub_1', atPeriodEnd)
  await billing.payments.refund(partialRefund)
}

// @ts-expect-error a status the API does not know
export const badStatus = { status: 'settled' } satisfies ListInvoicesQuery
expectTypeOf<Params<Billing['usage']['series']>>().toEqualTypeOf<[input: UsageSeriesInput]>()
expectTypeOf<ReturnType<Billing['usage']['series']>>().toEqualTypeOf<Promise<UsageSeries>>()
expectTypeOf<Params<Billing['usage']['top']>>().toEqualTypeOf<[input: UsageTopInput]>()
expectTypeOf<ReturnType<Billing['usage']['top']>>().toEqualTypeOf<Promise<UsageTop>>()
expectTypeOf<Params<Billing['customers']['search']>>().toEqualTypeOf<[input: CustomerSearchInput]>()
expectTypeOf<CustomerSearchInput>().toEqualTypeOf<{ query: string; limit?: number; cursor?: string }>()
expectTypeOf<Params<Billing['entitlements']['nearLimit']>>().toEqualTypeOf<[input?: NearLimitInput]>()
expectTypeOf<ReturnType<Billing['entitlements']['nearLimit']>>().toEqualTypeOf<
  Promise<Page<NearLimitAllowance>>
>()
expectTypeOf<Params<Billing['invoices']['totals']>>().toEqualTypeOf<[input: InvoiceTotalsInput]>()
expectTypeOf<ReturnType<Billing['invoices']['totals']>>().toEqualTypeOf<Promise<InvoiceTotal[]>>()
