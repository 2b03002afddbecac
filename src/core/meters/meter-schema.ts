import { z } from 'zod'

const CODE = /^[A-Za-z0-9_.:-]+$/

/** What `billing.meters.create` accepts. */
export const meterInputSchema = z
  .strictObject({
    code: z.string().min(1).max(100).regex(CODE, 'must be characters of A-Z a-z 0-9 _ . : -'),
    name: z.string().max(200).optional(),
    event_name: z.string().min(1).max(100).regex(CODE, 'must be characters of A-Z a-z 0-9 _ . : -'),
    aggregation: z.enum(['count', 'sum', 'max', 'min', 'unique_count', 'latest']),
    property: z.string().min(1).max(100).optional(),
    filters: z
      .record(
        z.string().min(1).max(100),
        z
          .array(z.union([z.string(), z.number(), z.boolean()]))
          .min(1)
          .max(100),
      )
      .optional(),
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
