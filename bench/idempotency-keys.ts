import { randomUUID, webcrypto } from 'node:crypto'

/** How the bench makes idempotency keys: time-ordered (UUIDv7) or random (UUIDv4). */
export type KeyKind = 'uuidv7' | 'uuidv4'

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const COUNTER_HEX = Array.from({ length: 0x1000 }, (_, i) => i.toString(16).padStart(3, '0'))
const pool = new Uint8Array(8 * 1024)
let poolAt = pool.length

/** Offset in `pool` of eight fresh random bytes; the pool is refilled 1,024 keys at a time. */
function randomOffset(): number {
  if (poolAt + 8 > pool.length) {
    webcrypto.getRandomValues(pool)
    poolAt = 0
  }
  poolAt += 8
  return poolAt - 8
}

/**
 * A UUIDv7 generator (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that starts at
 * a random value each millisecond, then 62 random bits. The counter keeps keys made within one
 * millisecond in order (a burst of more than ~2,000 in a millisecond borrows the next millisecond),
 * so successive keys always sort after earlier ones: what a time-ordered key means for an index.
 * @example const next = uuidV7Generator(); next() // '019ad3f2-8c41-7a3e-9f0b-2c6d1e8a4b57'
 */
export function uuidV7Generator(now: () => number = Date.now): () => string {
  let lastMs = -1
  let counter = 0
  let prefix = ''
  const advance = (ms: number) => {
    lastMs = ms
    const t = ms.toString(16).padStart(12, '0')
    prefix = `${t.slice(0, 8)}-${t.slice(8)}-7`
  }
  return () => {
    const ms = now()
    if (ms > lastMs) {
      advance(ms)
      counter = pool[randomOffset()]! << 3
    } else if (++counter > 0xfff) {
      advance(lastMs + 1)
      counter = 0
    }
    const o = randomOffset()
    const p = pool
    return `${prefix}${COUNTER_HEX[counter]}-${HEX[(p[o]! & 0x3f) | 0x80]}${HEX[p[o + 1]!]}-${HEX[p[o + 2]!]}${HEX[p[o + 3]!]}${HEX[p[o + 4]!]}${HEX[p[o + 5]!]}${HEX[p[o + 6]!]}${HEX[p[o + 7]!]}`
  }
}

/**
 * A key generator of the given kind: UUIDv7 (time-ordered) or UUIDv4 (`crypto.randomUUID`).
 * @example const next = keyGenerator('uuidv4'); next() // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function keyGenerator(kind: KeyKind): () => string {
  return kind === 'uuidv7' ? uuidV7Generator() : () => randomUUID()
}
