/**
 * `kobometer/webhooks`: for receivers of kobometer's outbound webhooks (notifications), signed per
 * Standard Webhooks.
 *
 * @example
 * import { verifyWebhook } from 'kobometer/webhooks'
 * const notification = verifyWebhook(rawBody, req.headers, 'whsec_…')
 */
export type { Notification, NotificationType } from '../core/notifications/types.js'
export {
  signWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookHeaders,
} from './verify-webhook.js'
