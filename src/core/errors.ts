import type { z } from 'zod'

/**
 * Every stable error code kobometer throws or reports. Codes never change meaning once published;
 * branch on `error.code`, never on `error.message`.
 */
export const ErrorCode = {
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  INVALID_QUANTITY: 'INVALID_QUANTITY',
  AMOUNT_OVERFLOW: 'AMOUNT_OVERFLOW',
  UNKNOWN_CURRENCY: 'UNKNOWN_CURRENCY',
  INVALID_ROUNDING_MODE: 'INVALID_ROUNDING_MODE',
  INVALID_CHARGE: 'INVALID_CHARGE',
  UNKNOWN_CHARGE_MODEL: 'UNKNOWN_CHARGE_MODEL',
  INVALID_TIERS: 'INVALID_TIERS',
  INVALID_BATCH: 'INVALID_BATCH',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  INVALID_EVENT: 'INVALID_EVENT',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  INVALID_IDEMPOTENCY_KEY: 'INVALID_IDEMPOTENCY_KEY',
  INVALID_CUSTOMER_ID: 'INVALID_CUSTOMER_ID',
  INVALID_EVENT_NAME: 'INVALID_EVENT_NAME',
  INVALID_TIMESTAMP: 'INVALID_TIMESTAMP',
  TIMESTAMP_IN_FUTURE: 'TIMESTAMP_IN_FUTURE',
  TIMESTAMP_TOO_OLD: 'TIMESTAMP_TOO_OLD',
  INVALID_PROPERTIES: 'INVALID_PROPERTIES',
  INVALID_PROPERTY_KEY: 'INVALID_PROPERTY_KEY',
  INVALID_PROPERTY_VALUE: 'INVALID_PROPERTY_VALUE',
  PROPERTIES_TOO_LARGE: 'PROPERTIES_TOO_LARGE',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  INVALID_METER: 'INVALID_METER',
  INVALID_WINDOW: 'INVALID_WINDOW',
  INVALID_CURSOR: 'INVALID_CURSOR',
  STORAGE_ERROR: 'STORAGE_ERROR',
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  CLOSED: 'CLOSED',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  GATEWAY_ERROR: 'GATEWAY_ERROR',
  SIGNATURE_VERIFICATION_FAILED: 'SIGNATURE_VERIFICATION_FAILED',
  INVALID_TIMEZONE: 'INVALID_TIMEZONE',
  INVALID_INTERVAL: 'INVALID_INTERVAL',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  UNKNOWN_METER: 'UNKNOWN_METER',
  PLAN_FIELD_IMMUTABLE: 'PLAN_FIELD_IMMUTABLE',
  PERIOD_CLOSED: 'PERIOD_CLOSED',
  INVALID_STATE: 'INVALID_STATE',
  NO_PAYMENT_METHOD: 'NO_PAYMENT_METHOD',
  GATEWAY_NOT_CONFIGURED: 'GATEWAY_NOT_CONFIGURED',
  NOT_REUSABLE: 'NOT_REUSABLE',
  INVALID_REFUND: 'INVALID_REFUND',
  REFUND_IN_PROGRESS: 'REFUND_IN_PROGRESS',
  INVALID_STRING: 'INVALID_STRING',
  VALUE_OUT_OF_RANGE: 'VALUE_OUT_OF_RANGE',
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  TOO_MANY_FILTERS: 'TOO_MANY_FILTERS',
  TOO_MANY_METERS: 'TOO_MANY_METERS',
  GATEWAY_MERCHANT_ERROR: 'GATEWAY_MERCHANT_ERROR',
  CATALOG_FIELD_IMMUTABLE: 'CATALOG_FIELD_IMMUTABLE',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  SUBSCRIPTION_PAUSED: 'SUBSCRIPTION_PAUSED',
  SUBSCRIPTION_CANCELED: 'SUBSCRIPTION_CANCELED',
  INVALID_LIMIT: 'INVALID_LIMIT',
  RESERVATION_NOT_FOUND: 'RESERVATION_NOT_FOUND',
  RESERVATION_NOT_HELD: 'RESERVATION_NOT_HELD',
  RESERVATION_EXPIRED: 'RESERVATION_EXPIRED',
  RESERVATION_MISMATCH: 'RESERVATION_MISMATCH',
  INVOICE_NOT_OPEN: 'INVOICE_NOT_OPEN',
  PAYMENT_IN_PROGRESS: 'PAYMENT_IN_PROGRESS',
  CHECKOUT_NOT_SUPPORTED: 'CHECKOUT_NOT_SUPPORTED',
  INVALID_ALERT: 'INVALID_ALERT',
  INVALID_API_KEY: 'INVALID_API_KEY',
  /** Bad input to `sessions` or `portal` (an expiry out of range, a return URL that is not http(s)). */
  INVALID_SESSION: 'INVALID_SESSION',
  /** HTTP: the request has no API key, or one that is unknown, revoked or expired (401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** HTTP: the API key lacks the scope the route needs (403). */
  FORBIDDEN: 'FORBIDDEN',
  /** HTTP: no route has this method and path (404). */
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  /** HTTP: the path exists, the method does not (405). */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** HTTP: the body is not JSON (or not the JSON the route takes): a syntax error, a bad escape. */
  INVALID_JSON: 'INVALID_JSON',
  /** HTTP: an object in the body names the same key twice. */
  DUPLICATE_JSON_KEY: 'DUPLICATE_JSON_KEY',
  /** HTTP: the body nests arrays and objects deeper than the limit. */
  JSON_TOO_DEEP: 'JSON_TOO_DEEP',
  /** HTTP: the body is not valid UTF-8. */
  INVALID_ENCODING: 'INVALID_ENCODING',
  /** HTTP: the body's content type is not one the route takes (415). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** HTTP: the body is larger than the configured limit (413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** HTTP: the body did not arrive within the read timeout (408). */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  /** HTTP: the API key sent more requests than its rate allows (429, with `Retry-After`). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** HTTP: a query parameter is missing or malformed. */
  INVALID_QUERY: 'INVALID_QUERY',
} as const

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** One problem found while validating input: where it is, what rule it broke, in words. */
export interface ValidationIssue {
  /** Field path in `a.b[2].c` form; `''` for the value itself. */
  path: string
  code: string
  message: string
}

/** Structured context attached to every {@link BillingError}. */
export interface BillingErrorDetails {
  /** The offending field, in `a.b[2].c` form, when one field is to blame. */
  path?: string
  /** Every problem found, for validation failures. */
  issues?: ValidationIssue[]
  [key: string]: unknown
}

/** Where each kobometer error class keeps the `Symbol.for` key its instances are branded with. */
const CLASS_BRAND = Symbol.for('kobometer.errorClassBrand')

/** Where each kobometer error class keeps its own name, which a bundler may rename the class from. */
const CLASS_NAME = Symbol.for('kobometer.errorClassName')

type BrandedClass = { [CLASS_BRAND]?: symbol; [CLASS_NAME]?: string; prototype: object }

/**
 * Brands a class and its instances with `Symbol.for('kobometer.<name>')`. An app that loads both the
 * ESM and the CommonJS build holds two copies of every class; the process-wide symbol lets
 * `instanceof` recognise an error made by either copy.
 */
function brand(cls: BrandedClass, name: string): void {
  const key = Symbol.for(`kobometer.${name}`)
  Object.defineProperty(cls, CLASS_BRAND, { value: key })
  Object.defineProperty(cls, CLASS_NAME, { value: name })
  Object.defineProperty(cls.prototype, key, { value: true })
}

/**
 * `instanceof` for kobometer's error classes: `this` is the class on the right, which may be a
 * subclass. A class without a brand of its own (a subclass in your code) is checked the ordinary way.
 */
function hasBrandedInstance(this: BrandedClass, value: unknown): boolean {
  const key = Object.hasOwn(this, CLASS_BRAND) ? this[CLASS_BRAND] : undefined
  if (key === undefined) return Function.prototype[Symbol.hasInstance].call(this, value)
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[key] === true
}

/**
 * The base of every error kobometer throws across its public API. `instanceof` holds for errors of
 * either build (ESM or CommonJS) when both are loaded in one process, for this class and for each of
 * its subclasses below; a subclass of your own is checked the ordinary way.
 *
 * @example
 * try { parseAmount('1.2.3', 'unit_amount') } catch (e) {
 *   if (e instanceof BillingError && e.code === 'INVALID_AMOUNT') console.log(e.details.path) // 'unit_amount'
 * }
 */
export class BillingError extends Error {
  static {
    brand(BillingError, 'BillingError')
    // Inherited by every subclass, as static members are.
    Object.defineProperty(BillingError, Symbol.hasInstance, { value: hasBrandedInstance })
  }

  readonly code: ErrorCode
  readonly details: BillingErrorDetails

  constructor(code: ErrorCode, message: string, details: BillingErrorDetails = {}) {
    super(message)
    // A kobometer class names itself (the build may rename it, e.g. `_ValidationError`); a subclass
    // of your own goes by its own name.
    const cls = new.target as BrandedClass & { name: string }
    this.name = Object.hasOwn(cls, CLASS_NAME) ? (cls[CLASS_NAME] as string) : cls.name
    this.code = code
    this.details = details
  }

  /** A plain, loggable form: `{ name, code, message, details }`. */
  toJSON(): { name: string; code: ErrorCode; message: string; details: BillingErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, details: this.details }
  }
}

/**
 * Input was malformed. `details.path` names the first offending field, `details.issues` lists all.
 *
 * @example
 * throw new ValidationError('INVALID_AMOUNT', 'unit_amount must be a decimal string', { path: 'unit_amount' })
 */
export class ValidationError extends BillingError {
  static {
    brand(ValidationError, 'ValidationError')
  }
}

/**
 * A referenced object does not exist. `details.id` carries the id that was looked up.
 *
 * @example
 * throw new NotFoundError(`customer ${id} does not exist`, { id, resource: 'customer' })
 */
export class NotFoundError extends BillingError {
  static {
    brand(NotFoundError, 'NotFoundError')
  }

  constructor(message: string, details: BillingErrorDetails = {}) {
    super(ErrorCode.NOT_FOUND, message, details)
  }
}

/**
 * The request clashes with what already exists (a duplicate id or code) or with the state of an
 * object (an invoice that is not open). `code` is `CONFLICT` unless a more precise one is given.
 *
 * @example
 * throw new ConflictError(`plan starter already exists`, { id: 'starter', resource: 'plan' })
 * throw new ConflictError('a refund of py_1 is in flight', { id: 'py_1' }, 'REFUND_IN_PROGRESS')
 * throw new ConflictError(`invoice in_1 is paid`, { id: 'in_1', status: 'paid' }, 'INVOICE_NOT_OPEN')
 */
export class ConflictError extends BillingError {
  static {
    brand(ConflictError, 'ConflictError')
  }

  constructor(message: string, details: BillingErrorDetails = {}, code: ErrorCode = ErrorCode.CONFLICT) {
    super(code, message, details)
  }
}

/**
 * A payment gateway failed or refused a request. `retryable` means the outcome is unknown (network
 * error, timeout, 5xx, 429): verify by reference before anything else. `merchant` means the
 * merchant's side is at fault (a wrong or revoked key, a disabled account, a configuration the
 * gateway refuses): its `code` is `GATEWAY_MERCHANT_ERROR` and it says nothing about the customer.
 * Never carries a secret key.
 *
 * @example
 * throw new GatewayError({ gateway: 'paystack', http_status: 400, code: 'duplicate_reference', message: 'Duplicate Transaction Reference', retryable: false })
 * throw new GatewayError({ gateway: 'paystack', http_status: 401, code: 'unauthorized', message: 'Invalid key', retryable: false, merchant: true })
 */
export class GatewayError extends BillingError {
  static {
    brand(GatewayError, 'GatewayError')
  }

  readonly gateway: string
  readonly http_status: number | null
  readonly gateway_code: string
  readonly retryable: boolean
  readonly merchant: boolean

  constructor(fields: {
    gateway: string
    http_status: number | null
    code: string
    message: string
    retryable: boolean
    merchant?: boolean
  }) {
    const merchant = fields.merchant === true
    super(
      merchant ? ErrorCode.GATEWAY_MERCHANT_ERROR : ErrorCode.GATEWAY_ERROR,
      `${fields.gateway}: ${fields.message}`,
      {
        gateway: fields.gateway,
        http_status: fields.http_status,
        gateway_code: fields.code,
        retryable: fields.retryable,
        merchant,
      },
    )
    this.gateway = fields.gateway
    this.http_status = fields.http_status
    this.gateway_code = fields.code
    this.retryable = fields.retryable
    this.merchant = merchant
  }
}

/**
 * A webhook's signature is missing or does not match its raw body: nothing was changed.
 *
 * @example
 * throw new SignatureVerificationError('paystack', 'x-paystack-signature does not match the body')
 */
export class SignatureVerificationError extends BillingError {
  static {
    brand(SignatureVerificationError, 'SignatureVerificationError')
  }

  constructor(gateway: string, message: string) {
    super(ErrorCode.SIGNATURE_VERIFICATION_FAILED, `${gateway}: ${message}`, { gateway })
  }
}

/**
 * Formats a path of keys and indexes as `tiers[1].up_to`.
 *
 * @example
 * formatPath(['tiers', 1, 'up_to']) // 'tiers[1].up_to'
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out
}

/** Joins a prefix and a relative path: `joinPath('charges[0]', 'tiers[1]')` → `charges[0].tiers[1]`. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path
  if (path === '') return prefix
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`
}

/**
 * Turns a zod failure into a {@link ValidationError}. A custom issue may carry its own stable code in
 * `params.code`; the error's `code` is the first issue's code when it has one, else `fallback`.
 *
 * @example
 * const r = schema.safeParse(input)
 * if (!r.success) throw validationErrorFromZod(r.error, 'INVALID_CHARGE', 'charge')
 */
export function validationErrorFromZod(
  error: z.ZodError,
  fallback: ErrorCode = ErrorCode.VALIDATION_ERROR,
  prefix = '',
): ValidationError {
  const issues: ValidationIssue[] = error.issues.map((issue) => {
    const params = (issue as { params?: { code?: unknown } }).params
    const code = typeof params?.code === 'string' ? params.code : fallback
    // zod reports unknown keys on the parent object; name the first unknown key instead.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : []
    const path = keys.length > 0 ? [...issue.path, keys[0] as string] : issue.path
    return { path: joinPath(prefix, formatPath(path)), code, message: issue.message }
  })
  const first = issues[0]
  const code = (first && isErrorCode(first.code) ? first.code : fallback) as ErrorCode
  const where = first?.path ? `${first.path}: ` : ''
  return new ValidationError(code, `${where}${first?.message ?? 'invalid input'}`, {
    path: first?.path ?? prefix,
    issues,
  })
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ErrorCode, code)
}
