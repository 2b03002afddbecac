import type { MysqlPool, MysqlPoolConnection } from 'kysely'
import type { Pool, PoolConnection } from 'mysql2'
import { isConnectionFailure } from '../connection-failures.js'

// A discarded connection may still report its end; nobody needs to hear it.
const ignore = (): void => {}

/**
 * A `mysql2` pool as kysely sees it, made safe against connections the server ends. While we hold
 * a connection it has an `'error'` listener (mysql2 emits one per failure, and a second, unheard
 * one ends the host process). A connection that reported an error, or whose query failed because
 * it is gone, is destroyed on release instead of going back to the pool ("Can't add new command
 * when connection is in closed state" on its next use). Connections of a pool we own keep a
 * listener while idle too; a host's pool is the host's to listen to.
 *
 * @example
 * const db = new Kysely({ dialect: new MysqlDialect({ pool: guardMysqlPool(createPool({ uri }), true) }) })
 */
export function guardMysqlPool(pool: Pool, owned: boolean): MysqlPool {
  if (owned) pool.on('connection', (connection) => connection.on('error', ignore))
  return {
    getConnection: (callback) =>
      pool.getConnection((error, connection) => {
        if (error) callback(error, undefined as unknown as MysqlPoolConnection)
        else callback(null, guardConnection(connection))
      }),
    end: owned ? (callback) => pool.end(callback) : (callback) => callback(null),
  }
}

function guardConnection(connection: PoolConnection): MysqlPoolConnection {
  let failed = false
  const onError = (): void => {
    failed = true
  }
  connection.on('error', onError)
  const query = (
    sql: string,
    parameters: unknown[],
    callback: (error: unknown, result: unknown) => void,
  ): void => {
    connection.query(sql, parameters, (error, result) => {
      if (error && (isConnectionFailure(error) || (error as { fatal?: boolean }).fatal === true))
        failed = true
      callback(error, result)
    })
  }
  return {
    query,
    release: () => {
      if (failed) {
        // Destroyed, not pooled; the listener stays for whatever the dying socket still reports.
        connection.on('error', ignore)
        connection.destroy()
      } else {
        connection.removeListener('error', onError)
        connection.release()
      }
    },
  } as MysqlPoolConnection
}
