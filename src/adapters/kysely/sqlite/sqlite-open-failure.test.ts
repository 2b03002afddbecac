import { describe, expect, it } from 'vitest'
import { sqliteOpenFailure } from './sqlite-open-failure.js'

describe('opening a SQLite file fails', () => {
  it('tells how to build better-sqlite3 when its native module is missing', () => {
    const error = sqliteOpenFailure(
      new Error(
        'Could not locate the bindings file. Tried:\n → /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      ),
    )
    expect(error.code).toBe('STORAGE_ERROR')
    expect(error.message).toContain('npm rebuild better-sqlite3')
    expect(error.message).toContain('npm install-scripts approve better-sqlite3')
    expect(error.message).toContain('Could not locate the bindings file')
  })

  it('passes any other failure through as a storage error', () => {
    const error = sqliteOpenFailure(new Error('unable to open database file'))
    expect(error.code).toBe('STORAGE_ERROR')
    expect(error.message).toBe('sqlite storage: open failed: unable to open database file')
  })
})
