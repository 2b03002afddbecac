import { CompiledQuery, type DatabaseConnection, type MysqlPool, type MysqlPoolConnection } from 'kysely'

/**
 * The `sql_mode` of every kobometer MySQL/MariaDB session: strict, so a value that does not fit its
 * column fails the statement instead of being cut or rounded with a warning, and nothing else
 * (no `ANSI_QUOTES` or `PIPES_AS_CONCAT` from a host's settings changing what kobometer's SQL means).
 */
export const KOBOMETER_SQL_MODE =
  'STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'

const SET_MODE = `SET SESSION sql_mode = '${KOBOMETER_SQL_MODE}'`
const SAVE_AND_SET_MODE = `SET @kobometer_host_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = '${KOBOMETER_SQL_MODE}'`
const RESTORE_MODE = 'SET SESSION sql_mode = @kobometer_host_sql_mode, @kobometer_host_sql_mode = NULL'

/**
 * Sets kobometer's `sql_mode` on a connection of a pool kobometer owns: once per connection, when
 * kysely first sees it (pass as the dialect's `onCreateConnection`).
 *
 * @example
 * new MysqlDialect({ pool, onCreateConnection: setStrictMode })
 */
export async function setStrictMode(connection: DatabaseConnection): Promise<void> {
  await connection.executeQuery(CompiledQuery.raw(SET_MODE, []))
}

/**
 * A view of a host's pool whose connections run in kobometer's `sql_mode` while kobometer holds
 * them: the host's mode is saved when one is taken and restored before it goes back, so the
 * host's own use of its sessions is unchanged. Ending it leaves the host's pool open.
 *
 * @example
 * new MysqlDialect({ pool: strictHostPool(hostPool) })
 */
export function strictHostPool(pool: MysqlPool): MysqlPool {
  return {
    getConnection: (callback) =>
      pool.getConnection((error, connection) => {
        if (error) return callback(error, connection)
        connection.query(SAVE_AND_SET_MODE, [], (setError) => {
          if (setError) {
            connection.release()
            return callback(setError, connection)
          }
          callback(null, restoringOnRelease(connection))
        })
      }),
    end: (callback) => callback(null),
  }
}

function restoringOnRelease(connection: MysqlPoolConnection): MysqlPoolConnection {
  const query = connection.query.bind(connection) as MysqlPoolConnection['query']
  return {
    query,
    // The connection goes back to the pool only once the host's mode is back.
    release: () => connection.query(RESTORE_MODE, [], () => connection.release()),
  }
}
