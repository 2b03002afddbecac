import { randomBytes } from 'node:crypto'

/**
 * A new object id: `prefix_` + creation time (base 36, so ids sort by creation) + 64 random bits.
 *
 * @example
 * newId('sub', Date.UTC(2026, 0, 1)) // 'sub_00mjv9r4w0a1b2c3d4e5f6a7b8'
 */
export function newId(prefix: string, now: number): string {
  return `${prefix}_${Math.max(0, now).toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`
}
