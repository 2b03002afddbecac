import { expect } from 'vitest'
import type { Invoice } from '../../core/invoices/types.js'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import { draft, LATER, meter, NOW, numbering, T0 } from './port-fixtures.js'
import type { PortSuiteContext } from './port-suite.js'

const FEB = '2026-02-01T00:00:00.000Z'

/** An open top-up invoice of `quantity` of `code` for the period starting at T0. */
const topUp = (
  id: string,
  subscription_id: string,
  customer_id: string,
  code: string,
  quantity = '5',
): Invoice => ({
  ...draft(id, subscription_id, FEB, customer_id),
  status: 'open',
  billing_reason: 'top_up',
  finalized_at: NOW,
  top_up: { meter: code, blocks: 1, quantity },
})

/**
 * The `storage.invoices` tests of one-off invoices: `createOneOff` keyed apart from periods, and
 * a top-up's grant applied once, by the transition that pays it. Part of {@link invoiceStoreSuite}.
 *
 * @example
 * invoiceOneOffTests(ctx)
 */
export function invoiceOneOffTests({ storage, unique, test }: PortSuiteContext): void {
  test(
    'invoices.create-one-off',
    'createOneOff: one invoice and one number per (subscription, key), even racing; periods untouched',
    async () => {
      const ns = unique('inv')
      const seq = numbering(ns)
      const sub = `${ns}s_1`
      const [period] = await storage().invoices.create(
        [{ invoice: draft(`${ns}in_p`, sub, FEB), final: true }],
        seq,
      )
      expect(period?.created).toBe(true)
      const racing = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          storage().invoices.createOneOff(topUp(`${ns}in_t${i}`, sub, `${ns}c`, 'm'), `${ns}key1`, seq),
        ),
      )
      expect(racing.filter((r) => r.created)).toHaveLength(1)
      const winner = racing.find((r) => r.created)!.invoice
      expect(winner.number).toBe(seq.format(2))
      for (const r of racing) expect(r.invoice).toEqual(winner)
      expect(await storage().invoices.get(winner.id)).toEqual(winner)
      // Another key is another invoice; a period of the same subscription is still its own.
      const other = await storage().invoices.createOneOff(
        topUp(`${ns}in_u`, sub, `${ns}c`, 'm'),
        `${ns}key2`,
        seq,
      )
      expect(other).toMatchObject({ created: true, invoice: { number: seq.format(3) } })
      const [again] = await storage().invoices.create(
        [{ invoice: draft(`${ns}in_q`, sub, FEB), final: true }],
        seq,
      )
      expect(again).toMatchObject({ created: false, invoice: { id: `${ns}in_p` } })
      const listed = await storage().invoices.list({ limit: 10, subscription_id: sub })
      expect(listed.map((i) => i.id).sort()).toEqual([`${ns}in_p`, winner.id, `${ns}in_u`].sort())
    },
  )

  test(
    'invoices.top-up-grant',
    'transition: paying a top-up grants its quantity once, in the same step, however many pay it',
    async () => {
      const ns = unique('inv')
      const c = `${ns}c`
      const code = `${ns}calls`
      await storage().meters.insert(meter(ns, code), compileMeterEffects)
      const key = { customer_id: c, meter: code, period_start: T0 }
      await storage().entitlements.open(
        [{ ...key, period_end: T0 + 31 * 86_400_000, limit: '10', enforce: true }],
        compileMeterEffects,
        T0,
      )
      const { invoice } = await storage().invoices.createOneOff(
        topUp(`${ns}in_t`, `${ns}s`, c, code, '7'),
        `${ns}k`,
        numbering(ns),
      )
      const paying = await Promise.all(
        Array.from({ length: 5 }, () =>
          storage().invoices.transition(invoice.id, ['open', 'uncollectible'], {
            status: 'paid',
            updated_at: LATER,
            paid_at: LATER,
          }),
        ),
      )
      expect(paying.filter((p) => p !== null)).toHaveLength(1)
      const granted = async () => (await storage().entitlements.read([key], T0))[0]?.granted
      expect(await granted()).toBe('7')
      // Any other change of a top-up grants nothing; nor does paying an invoice without `top_up`.
      expect(
        await storage().invoices.transition(invoice.id, ['paid'], { status: 'paid', updated_at: LATER }),
      ).not.toBeNull()
      const plain = { ...topUp(`${ns}in_x`, `${ns}s`, c, code), top_up: undefined }
      delete plain.top_up
      await storage().invoices.createOneOff(plain, `${ns}k2`, numbering(ns))
      await storage().invoices.transition(plain.id, ['open'], { status: 'paid', updated_at: LATER })
      expect(await granted()).toBe('7')
    },
  )
}
