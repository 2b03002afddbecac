/**
 * kobometer: embeddable usage-based billing. This entry holds the pure core (money, pricing, errors);
 * storages and gateways live in their own subpaths (`kobometer/sqlite`, `kobometer/paystack`, …).
 */
export {
  BillingError,
  type BillingErrorDetails,
  ConflictError,
  ErrorCode,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from './core/errors.js'
export {
  type Amount,
  type CurrencyInfo,
  type FormatMoneyOptions,
  formatMoney,
  fromMinorUnits,
  getCurrency,
  isKnownCurrency,
  listCurrencies,
  parseAmount,
  type Quantity,
  ROUNDING_MODES,
  type RoundingMode,
  roundMinor,
  toMinorUnits,
} from './core/money/index.js'
export * from './core/pricing/index.js'
