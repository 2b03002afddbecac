import { createHash, randomBytes } from 'node:crypto'

/** Every secret starts with this. */
export const SECRET_PREFIX = 'kbm_sk_'

/** Characters of a secret shown in lists (the prefix and 5 random characters). */
const DISPLAY_LENGTH = 12

/** `kbm_sk_` and 43 base64url characters: the exact shape of every secret made here. */
const SECRET_SHAPE = /^kbm_sk_[A-Za-z0-9_-]{43}$/

/**
 * A new secret: `kbm_sk_` and 32 random bytes in base64url (256 bits).
 *
 * @example
 * newSecret() // 'kbm_sk_3q2-7wAbC…'
 */
export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`
}

/**
 * Whether a string has the shape of a secret made by {@link newSecret}; anything else is refused
 * before any lookup.
 *
 * @example
 * isSecretShaped('kbm_sk_x') // false
 */
export function isSecretShaped(value: string): boolean {
  return SECRET_SHAPE.test(value)
}

/**
 * The stored form of a secret: SHA-256, lower-case hex. A fast hash is right here: the secret has
 * 256 random bits, so no dictionary or brute-force search is feasible, and a slow password hash
 * (bcrypt, scrypt) would only cost time on every request.
 *
 * @example
 * hashSecret('kbm_sk_…').length // 64
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/**
 * The part of a secret shown in lists.
 *
 * @example
 * displayPrefix('kbm_sk_AbCdEfGh…') // 'kbm_sk_AbCdE'
 */
export function displayPrefix(secret: string): string {
  return secret.slice(0, DISPLAY_LENGTH)
}
