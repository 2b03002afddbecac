import { describe, expect, it } from 'vitest'
import { clearedSessionCookie, sessionCookie, sessionTokenFromCookies } from './session-cookie.js'

const T0 = Date.UTC(2026, 0, 1)
const token = `kbm_os_${'a'.repeat(43)}`
const expires_at = new Date(T0 + 12 * 3_600_000).toISOString()

describe('sessionCookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to the dashboard, Secure over HTTPS, for the time left', () => {
    expect(sessionCookie({ token, expires_at, secure: true, now: T0 })).toBe(
      `kbm_session=${token}; Max-Age=43200; Path=/dashboard; HttpOnly; SameSite=Strict; Secure`,
    )
    expect(sessionCookie({ token, expires_at, secure: false, base_path: '/billing/', now: T0 + 1500 })).toBe(
      `kbm_session=${token}; Max-Age=43198; Path=/billing/dashboard; HttpOnly; SameSite=Strict`,
    )
    expect(sessionCookie({ token, expires_at, secure: true, now: T0 + 13 * 3_600_000 })).toContain(
      'Max-Age=0;',
    )
  })

  it('refuses a value or path that could add attributes or cookies', () => {
    for (const bad of [`${token}; Domain=evil.example`, '', 'a b', 'x'.repeat(101)])
      expect(() => sessionCookie({ token: bad, expires_at, secure: true })).toThrow(/token/)
    for (const base_path of ['/a;b', 'billing', '/a b', '/a\r\nSet-Cookie: x=1'])
      expect(() => sessionCookie({ token, expires_at, secure: true, base_path })).toThrow(/base_path/)
    expect(() => sessionCookie({ token, expires_at: 'soon', secure: true })).toThrow(/expires_at/)
  })

  it('is cleared with the same name, path and attributes', () => {
    expect(clearedSessionCookie({ secure: true, base_path: '/billing' })).toBe(
      'kbm_session=; Max-Age=0; Path=/billing/dashboard; HttpOnly; SameSite=Strict; Secure',
    )
  })
})

describe('sessionTokenFromCookies', () => {
  it('reads kbm_session once; absent, empty or twice is null', () => {
    expect(sessionTokenFromCookies(`theme=dark; kbm_session=${token}`)).toBe(token)
    expect(sessionTokenFromCookies(`kbm_session=${token}`)).toBe(token)
    expect(sessionTokenFromCookies('theme=dark')).toBeNull()
    expect(sessionTokenFromCookies('kbm_session=')).toBeNull()
    expect(sessionTokenFromCookies(`kbm_session=${token}; kbm_session=kbm_os_other`)).toBeNull()
    expect(sessionTokenFromCookies(`xkbm_session=${token}`)).toBeNull()
    expect(sessionTokenFromCookies(null)).toBeNull()
    expect(sessionTokenFromCookies(undefined)).toBeNull()
  })
})
