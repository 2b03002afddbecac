import { describe, expect, it } from 'vitest'
import { containsPattern, customerSearchText } from './search-text.js'

describe('customer search text', () => {
  it('holds id, email and name in lower case, one per line', () => {
    expect(customerSearchText({ id: 'Cus_1', email: 'Ada@Example.COM', name: 'Élodie' })).toBe(
      'cus_1\nada@example.com\nélodie',
    )
    expect(customerSearchText({ id: 'c', email: null, name: null })).toBe('c\n\n')
  })

  it('makes a contains pattern whose wildcards and escape character match only themselves', () => {
    expect(containsPattern('50%_Off')).toBe('%50!%!_off%')
    expect(containsPattern("!' OR 1=1 --")).toBe("%!!' or 1=1 --%")
    expect(containsPattern('back\\slash')).toBe('%back\\slash%')
  })
})
