import { describe, expect } from 'vitest'
import type { CatalogInput } from '../../core/catalog/types.js'
import { ValidationError } from '../../core/errors.js'
import type { ConformanceContext } from './context.js'

/** A catalog of two meters (one filtered) and a plan pricing both, namespaced by `ns`. */
function catalogOf(ns: string) {
  return {
    meters: [
      { code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' },
      {
        code: `${ns}tokens`,
        name: 'Tokens',
        event_name: `${ns}call`,
        aggregation: 'sum',
        property: 'tokens',
        filters: { model: ['large', 'xl'] },
      },
    ],
    plans: [
      {
        code: `${ns}starter`,
        name: 'Starter',
        currency: 'NGN',
        interval: 'month',
        fixed_amount: '500000',
        tax_rates: [{ name: 'VAT', percent: '7.5' }],
        charges: [
          { meter: `${ns}calls`, model: 'per_unit', unit_amount: '50' },
          {
            meter: `${ns}tokens`,
            model: 'graduated',
            tiers: [
              { up_to: 1000, unit_amount: '2' },
              { up_to: null, unit_amount: '1.5' },
            ],
            filters: { region: ['eu', 'us'] },
          },
        ],
        metadata: { tier: 'small', seats: 3 },
      },
    ],
  } as const satisfies CatalogInput
}

/** The same catalog spelled differently: other key order, numbers, explicit defaults. */
function respelledCatalogOf(ns: string): CatalogInput {
  return {
    plans: [
      {
        metadata: { seats: 3, tier: 'small' },
        charges: [
          { unit_amount: 50, model: 'per_unit', meter: `${ns}calls`, currency: 'NGN' },
          {
            filters: { region: ['us', 'eu', 'eu'] },
            tiers: [
              { unit_amount: 2, up_to: 1000 },
              { unit_amount: '1.50', up_to: null },
            ],
            model: 'graduated',
            meter: `${ns}tokens`,
          },
        ],
        tax_rates: [{ percent: 7.5, name: 'VAT' }],
        fixed_amount: 500000,
        interval_count: 1,
        trial_days: 0,
        interval: 'month',
        currency: 'NGN',
        name: 'Starter',
        code: `${ns}starter`,
      },
    ],
    meters: [
      { aggregation: 'count', event_name: `${ns}call`, code: `${ns}calls` },
      {
        filters: { model: ['xl', 'large'] },
        property: 'tokens',
        aggregation: 'sum',
        event_name: `${ns}call`,
        name: 'Tokens',
        code: `${ns}tokens`,
      },
    ],
  }
}

/** Plans and meters as code: `catalog.sync` creates, versions, leaves alone or refuses. */
export function catalogTests(t: ConformanceContext): void {
  const { it } = t
  describe('catalog.sync', () => {
    it('creates missing meters and plans, then reports them unchanged on every later sync', async () => {
      const ns = t.unique('cat')
      const first = await t.billing().catalog.sync(catalogOf(ns))
      expect(first).toEqual({
        meters: [
          { code: `${ns}calls`, action: 'created' },
          { code: `${ns}tokens`, action: 'created' },
        ],
        plans: [{ code: `${ns}starter`, action: 'created', version: 1 }],
      })
      for (let boot = 0; boot < 2; boot++) {
        expect(await t.billing().catalog.sync(catalogOf(ns))).toEqual({
          meters: [
            { code: `${ns}calls`, action: 'unchanged' },
            { code: `${ns}tokens`, action: 'unchanged' },
          ],
          plans: [{ code: `${ns}starter`, action: 'unchanged', version: 1 }],
        })
      }
      expect((await t.billing().plans.get(`${ns}starter`)).version).toBe(1)
      expect(await t.billing().meters.get(`${ns}tokens`)).toMatchObject({
        filters: { model: ['large', 'xl'] },
      })
    })

    it('treats key order, decimal spellings, filter value order and explicit defaults as the same definition', async () => {
      const ns = t.unique('canon')
      await t.billing().catalog.sync(catalogOf(ns))
      const again = await t.billing().catalog.sync(respelledCatalogOf(ns))
      expect(again.meters.map((m) => m.action)).toEqual(['unchanged', 'unchanged'])
      expect(again.plans).toEqual([{ code: `${ns}starter`, action: 'unchanged', version: 1 }])
    })

    it('syncs plan limits on meters the same catalog creates, and versions the plan when a limit changes', async () => {
      const ns = t.unique('lim')
      const c = catalogOf(ns)
      const limited = (quantity: number) =>
        ({
          ...c,
          plans: [{ ...c.plans[0], limits: [{ meter: `${ns}calls`, quantity, on_exceed: 'reject' }] }],
        }) satisfies CatalogInput
      await t.billing().catalog.sync(limited(1000))
      expect((await t.billing().catalog.sync(limited(1000))).plans[0]).toMatchObject({ action: 'unchanged' })
      expect((await t.billing().catalog.sync(limited(2000))).plans[0]).toMatchObject({
        action: 'versioned',
        version: 2,
      })
      expect(await t.billing().plans.get(`${ns}starter`)).toMatchObject({
        limits: [{ meter: `${ns}calls`, quantity: '2000', on_exceed: 'reject' }],
      })
    })

    it('stores one new plan version when a plan changes, and none on the next sync', async () => {
      const ns = t.unique('ver')
      await t.billing().catalog.sync(catalogOf(ns))
      const changed = catalogOf(ns)
      const v2 = {
        ...changed,
        plans: [{ ...changed.plans[0], name: 'Starter 2026', fixed_amount: '600000' }],
      } satisfies CatalogInput
      expect((await t.billing().catalog.sync(v2)).plans).toEqual([
        { code: `${ns}starter`, action: 'versioned', version: 2 },
      ])
      expect((await t.billing().catalog.sync(v2)).plans).toEqual([
        { code: `${ns}starter`, action: 'unchanged', version: 2 },
      ])
      expect(await t.billing().plans.get(`${ns}starter`)).toMatchObject({
        version: 2,
        name: 'Starter 2026',
        fixed_amount: '600000',
      })
      await expect(t.billing().plans.get(`${ns}starter`, 3)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })

    it('versions a plan defined outside the catalog only when its content differs', async () => {
      const ns = t.unique('adopt')
      const catalog = catalogOf(ns)
      for (const meter of catalog.meters) await t.billing().meters.create(meter)
      await t.billing().plans.create(catalog.plans[0])
      const synced = await t.billing().catalog.sync(catalog)
      expect(synced.meters.map((m) => m.action)).toEqual(['unchanged', 'unchanged'])
      expect(synced.plans).toEqual([{ code: `${ns}starter`, action: 'unchanged', version: 1 }])
    })

    it('plans.update with what the plan already bills keeps its version; a real change adds one', async () => {
      const ns = t.unique('sameupdate')
      const catalog = catalogOf(ns)
      await t.billing().catalog.sync(catalog)
      const plan = catalog.plans[0]
      const same = await t.billing().plans.update(plan.code, {
        name: plan.name,
        fixed_amount: 500000,
        charges: plan.charges,
      })
      expect(same.version).toBe(1)
      const changed = await t.billing().plans.update(plan.code, { fixed_amount: '600000' })
      expect(changed.version).toBe(2)
      expect((await t.billing().plans.update(plan.code, { fixed_amount: '600000.00' })).version).toBe(2)
    })

    const immutableChanges = [
      [
        'plans[0].currency',
        (c: ReturnType<typeof catalogOf>) => ({ plans: [{ ...c.plans[0], currency: 'USD' }] }),
      ],
      [
        'plans[0].interval',
        (c: ReturnType<typeof catalogOf>) => ({ plans: [{ ...c.plans[0], interval: 'year' }] }),
      ],
      [
        'plans[0].interval_count',
        (c: ReturnType<typeof catalogOf>) => ({ plans: [{ ...c.plans[0], interval_count: 3 }] }),
      ],
      [
        'meters[1].aggregation',
        (c: ReturnType<typeof catalogOf>) => ({
          meters: [c.meters[0], { ...c.meters[1], aggregation: 'max' }],
        }),
      ],
      [
        'meters[0].event_name',
        (c: ReturnType<typeof catalogOf>) => ({ meters: [{ ...c.meters[0], event_name: 'renamed' }] }),
      ],
      [
        'meters[1].property',
        (c: ReturnType<typeof catalogOf>) => ({
          meters: [c.meters[0], { ...c.meters[1], property: 'words' }],
        }),
      ],
      [
        'meters[1].filters',
        (c: ReturnType<typeof catalogOf>) => ({
          meters: [c.meters[0], { ...c.meters[1], filters: { model: ['large'] } }],
        }),
      ],
    ] as const
    for (const [path, change] of immutableChanges)
      it(`refuses a change to ${path} by naming it, and writes nothing`, async () => {
        const ns = t.unique('imm')
        const original = catalogOf(ns)
        await t.billing().catalog.sync(original)
        const changed = change(original) as CatalogInput
        const withNew: CatalogInput = {
          meters: [
            ...(changed.meters ?? original.meters),
            { code: `${ns}new`, event_name: 'x', aggregation: 'count' },
          ],
          plans: [...(changed.plans ?? original.plans)],
        }
        const error = await t
          .billing()
          .catalog.sync(withNew)
          .catch((e: unknown) => e)
        expect(error).toBeInstanceOf(ValidationError)
        expect(error).toMatchObject({ code: 'CATALOG_FIELD_IMMUTABLE', details: { path } })
        await expect(t.billing().meters.get(`${ns}new`)).rejects.toMatchObject({ code: 'NOT_FOUND' })
        expect((await t.billing().plans.get(`${ns}starter`)).version).toBe(1)
      })

    it('names the catalog item in validation errors and writes nothing', async () => {
      const ns = t.unique('bad')
      const c = catalogOf(ns)
      const bad = async (catalog: CatalogInput) =>
        t
          .billing()
          .catalog.sync(catalog)
          .catch((e: unknown) => e)
      expect(
        await bad({
          ...c,
          plans: [
            { ...c.plans[0], charges: [{ meter: `${ns}calls`, model: 'per_unit', unit_amount: '-1' }] },
          ],
        }),
      ).toMatchObject({ code: 'INVALID_AMOUNT', details: { path: 'plans[0].charges[0].unit_amount' } })
      expect(
        await bad({
          ...c,
          plans: [{ ...c.plans[0], charges: [{ meter: `${ns}nope`, model: 'per_unit', unit_amount: 1 }] }],
        }),
      ).toMatchObject({ code: 'UNKNOWN_METER', details: { path: 'plans[0].charges[0].meter' } })
      expect(await bad({ meters: [c.meters[0], { ...c.meters[1], code: `${ns}calls` }] })).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { path: 'meters[1].code' },
      })
      expect(await bad({ meters: [c.meters[0], { ...c.meters[1], property: undefined }] })).toMatchObject({
        code: 'INVALID_METER',
        details: { path: 'meters[1].property' },
      })
      expect(await bad({ plans: [{ ...c.plans[0], currency: 'XXQ' }] })).toMatchObject({
        code: 'UNKNOWN_CURRENCY',
        details: { path: 'plans[0].currency' },
      })
      // A limit on a meter that is not a count or sum meter is refused before anything is written.
      const peak = {
        code: `${ns}peak`,
        event_name: `${ns}call`,
        aggregation: 'max' as const,
        property: 'tokens',
      }
      expect(
        await bad({
          meters: [...c.meters, peak],
          plans: [{ ...c.plans[0], limits: [{ meter: `${ns}peak`, quantity: 5, on_exceed: 'reject' }] }],
        }),
      ).toMatchObject({ code: 'INVALID_LIMIT', details: { path: 'plans[0].limits[0].meter' } })
      await expect(t.billing().meters.get(`${ns}calls`)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })

    it('concurrent syncs create each item once and store one version per change', async () => {
      const ns = t.unique('race')
      const boots = await Promise.all([1, 2, 3, 4].map(() => t.billing().catalog.sync(catalogOf(ns))))
      const actions = (list: ReadonlyArray<{ action: string }>) => list.map((r) => r.action)
      expect(actions(boots.flatMap((b) => b.meters)).filter((a) => a === 'created')).toHaveLength(2)
      expect(actions(boots.flatMap((b) => b.plans)).filter((a) => a === 'created')).toHaveLength(1)
      expect(boots.flatMap((b) => b.plans).map((p) => p.version)).toEqual([1, 1, 1, 1])

      const c = catalogOf(ns)
      const changed = { ...c, plans: [{ ...c.plans[0], trial_days: 14 }] } satisfies CatalogInput
      const next = await Promise.all([1, 2, 3, 4].map(() => t.billing().catalog.sync(changed)))
      const plans = next.flatMap((b) => b.plans)
      expect(plans.filter((p) => p.action === 'versioned')).toHaveLength(1)
      expect(plans.map((p) => p.version)).toEqual([2, 2, 2, 2])
      await expect(t.billing().plans.get(`${ns}starter`, 3)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })
  })
}
