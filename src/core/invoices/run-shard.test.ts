import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors.js'
import { inShard, MAX_SHARDS, readShard, shardHash, shardOf } from './run-shard.js'

describe('run shards', () => {
  it('hash ids with 32-bit FNV-1a: the published test vectors, so stored hashes never change', () => {
    expect(shardHash('')).toBe(0x811c9dc5)
    expect(shardHash('a')).toBe(0xe40c292c)
    expect(shardHash('foobar')).toBe(0xbf9cf968)
    expect(shardOf('foobar', 4)).toBe(0xbf9cf968 % 4)
  })

  it('place every subscription in exactly one shard of any count', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: MAX_SHARDS }), (id, count) => {
        const hash = shardHash(id)
        expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32).toBe(true)
        const owners = Array.from({ length: count }, (_, index) => index).filter((index) =>
          inShard({ index, count }, id),
        )
        expect(owners).toEqual([shardOf(id, count)])
        expect(inShard(undefined, id)).toBe(true)
      }),
    )
  })

  it('reject a malformed shard, naming the field', () => {
    expect(readShard(undefined)).toBeUndefined()
    expect(readShard({ index: 2, count: 3 })).toEqual({ index: 2, count: 3 })
    for (const [shard, path] of [
      [null, 'shard'],
      [{ index: 0, count: MAX_SHARDS + 1 }, 'shard.count'],
      [{ index: 0, count: 1.5 }, 'shard.count'],
      [{ index: -1, count: 2 }, 'shard.index'],
      [{ index: 2, count: 2 }, 'shard.index'],
    ] as const) {
      const error = (() => {
        try {
          readShard(shard)
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).details.path).toBe(path)
    }
  })
})
