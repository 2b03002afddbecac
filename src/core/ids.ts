import { randomFillSync } from 'node:crypto'

// Ids made by this process sort in the order they were made, even when the (injected) clock stands
// still or steps back: the time part never decreases and a counter orders ids within one millisecond.
let lastTime = -1
let counter = 0

/** Random bytes per id (48 bits). */
const RANDOM_BYTES = 6
/**
 * Random bytes are drawn from the system generator this many ids at a time: one `randomFillSync`
 * call costs microseconds whatever its size, and an invoice run makes thousands of ids.
 */
const IDS_PER_DRAW = 256
const pool = Buffer.alloc(RANDOM_BYTES * IDS_PER_DRAW)
let poolAt = pool.length

/** The next id's random part, as hex: each pool byte is used once. */
function randomHex(): string {
  if (poolAt === pool.length) {
    randomFillSync(pool)
    poolAt = 0
  }
  const hex = pool.toString('hex', poolAt, poolAt + RANDOM_BYTES)
  poolAt += RANDOM_BYTES
  return hex
}

/**
 * A new object id: `prefix_` + creation time (base 36) + a per-millisecond counter + 48 random
 * bits. Ids of one process sort by creation; `list` methods page in that order.
 *
 * @example
 * newId('sub', Date.UTC(2026, 0, 1)) // 'sub_0mjv9r4w00000a1b2c3d4e5f6'
 */
export function newId(prefix: string, now: number): string {
  const time = Math.max(0, Math.trunc(now))
  if (time > lastTime) {
    lastTime = time
    counter = 0
  } else {
    counter++
  }
  return `${prefix}_${lastTime.toString(36).padStart(9, '0')}${counter.toString(36).padStart(4, '0')}${randomHex()}`
}
