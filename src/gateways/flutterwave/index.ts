/**
 * `kobometer/flutterwave`: the Flutterwave (v3) payment gateway.
 *
 * @example
 * import { flutterwaveGateway } from 'kobometer/flutterwave'
 * const billing = createBilling({ storage, gateways: { flutterwave: flutterwaveGateway({ secretKey, secretHash }) } })
 */
export { type FlutterwaveGatewayOptions, flutterwaveGateway } from './flutterwave-gateway.js'
export { parseFlutterwaveWebhook, signFlutterwaveBody } from './flutterwave-webhook.js'
