import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type pg from 'pg'
import { isConnectionFailure } from '../connection-failures.js'

// A discarded client may still report its end; nobody needs to hear it.
const ignore = (): void => {}

/**
 * A `pg` pool as kysely sees it, made safe against connections the server ends. While we hold a
 * client it has an `'error'` listener (pg emits one when the server ends the connection, and an
 * unheard `'error'` event ends the host process). A client that reported an error, or whose query
 * failed because its connection is gone, is destroyed on release instead of going back to the pool.
 * A pool we own also gets a pool-level listener, for clients that die while idle (pg-pool already
 * drops those); a host's pool is the host's to listen to.
 *
 * @example
 * const db = new Kysely({ dialect: new PostgresDialect({ pool: guardPgPool(new pg.Pool(), true) }) })
 */
export function guardPgPool(pool: pg.Pool, owned: boolean): PostgresPool {
  if (owned) pool.on('error', ignore)
  return {
    connect: async () => guardClient(await pool.connect()),
    end: owned ? () => pool.end() : async () => {},
  }
}

function guardClient(client: pg.PoolClient): PostgresPoolClient {
  let failure: Error | null = null
  const onError = (error: Error): void => {
    failure ??= error
  }
  client.on('error', onError)
  const query = async (sql: string, parameters: readonly unknown[]) => {
    try {
      return await client.query(sql, [...parameters])
    } catch (error) {
      if (isConnectionFailure(error)) failure ??= error as Error
      throw error
    }
  }
  // kysely's type also lists the cursor form of query(), used only for streaming, which we never do.
  return {
    query,
    release: () => {
      if (failure === null) {
        client.removeListener('error', onError)
        client.release()
      } else {
        // Destroyed, not pooled; the listener stays for whatever the dying socket still reports.
        client.on('error', ignore)
        client.release(failure)
      }
    },
  } as unknown as PostgresPoolClient
}
