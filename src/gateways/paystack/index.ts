/**
 * `kobometer/paystack`: the Paystack payment gateway.
 *
 * @example
 * import { paystackGateway } from 'kobometer/paystack'
 * const billing = createBilling({ storage, gateways: { paystack: paystackGateway({ secretKey }) } })
 */
export { type PaystackGatewayOptions, paystackGateway } from './paystack-gateway.js'
export { parsePaystackWebhook, signPaystackBody } from './paystack-webhook.js'
