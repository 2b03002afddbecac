import { createHash } from 'node:crypto'

/**
 * Marks a stored unique-count value as the hash of a longer one. Values that start with it are
 * hashed too, so a value that merely looks like a hash never meets the value it looks like.
 */
export const UNIQUE_VALUE_HASH_PREFIX = '~sha256:'

/** Values up to this many UTF-16 code units are stored as they are. */
export const UNIQUE_VALUE_MAX_PLAIN = 64

/**
 * The stored form of a unique-count value: the value itself when it is short and does not start
 * with the hash prefix, else the prefix and the base64url SHA-256 of its UTF-8 bytes. The form is
 * at most 64 characters, so every storage can index it byte for byte (PostgreSQL's btree refuses
 * rows over ~2.7 KB, MySQL's key columns are 255 characters), and two values share one only when
 * they are equal or their SHA-256 collides.
 *
 * @example
 * uniqueValueKey('user_42') // 'user_42'
 * uniqueValueKey('x'.repeat(300)) // '~sha256:' followed by 43 base64url characters
 */
export function uniqueValueKey(value: string): string {
  if (value.length <= UNIQUE_VALUE_MAX_PLAIN && !value.startsWith(UNIQUE_VALUE_HASH_PREFIX)) return value
  return UNIQUE_VALUE_HASH_PREFIX + createHash('sha256').update(value, 'utf8').digest('base64url')
}
