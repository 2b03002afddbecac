import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeHtml, html, jsonText } from './html.js'

describe('html', () => {
  it('escapes every interpolated string, so no value can open a tag or leave an attribute', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const escaped = escapeHtml(value)
        expect(escaped).not.toMatch(/[<>"']/)
        expect(html`<td title="${value}">${value}</td>`.text).toBe(`<td title="${escaped}">${escaped}</td>`)
      }),
    )
  })

  it('keeps safe HTML and numbers as they are, and drops null, undefined and false', () => {
    const row = html`<b>${'x'}</b>`
    expect(html`${row}${1.5}${null}${undefined}${false}${['<', row]}`.text).toBe('<b>x</b>1.5&lt;<b>x</b>')
  })

  it('turns NUL and lone surrogates into the replacement character, keeping pairs', () => {
    expect(escapeHtml('a\0b\ud800c\udc00d\ud83d\ude00')).toBe('a\ufffdb\ufffdc\ufffdd\ud83d\ude00')
  })

  it('writes JSON that cannot end a script element', () => {
    expect(jsonText({ name: '</script><b>&' })).toBe('{"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}')
  })
})
