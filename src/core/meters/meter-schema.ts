import { z } from 'zod'
import { filtersSchema } from '../common-schemas.js'
import { safeText } from '../text.js'

const CODE = /^[A-Za-z0-9_.:-]+$/

/** What `billing.meters.create` accepts. */
export const meterInputSchema = z
  .strictObject({
    code: safeText(1, 100).regex(CODE, 'must be characters of A-Z a-z 0-9 _ . : -'),
    name: safeText(0, 200).optional(),
    event_name: z.string().min(1).max(100).regex(CODE, 'must be characters of A-Z a-z 0-9 _ . : -'),
    aggregation: z.enum(['count', 'sum', 'max', 'min', 'unique_count', 'latest']),
    property: safeText(1, 100).optional(),
    filters: filtersSchema.optional(),
  })
  .superRefine((meter, ctx) => {
    if (meter.aggregation !== 'count' && meter.property === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['property'],
        message: `is required for a ${meter.aggregation} meter`,
      })
    }
    if (meter.aggregation === 'count' && meter.property !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['property'],
        message: 'a count meter counts events and takes no property',
      })
    }
  })
