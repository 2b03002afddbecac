import { beforeAll, expect, it } from 'vitest'
import type { Customer } from '../../src/core/customers/types.js'
import type { PreparedEvent } from '../../src/core/events/types.js'
import type { Invoice } from '../../src/core/invoices/types.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { Plan } from '../../src/core/plans/types.js'
import type { InvoiceNumbering, Storage } from '../../src/core/ports/index.js'
import type { SubscriptionRecord } from '../../src/core/subscriptions/types.js'
import { describeOnEveryStorage, draft, ids, NOW } from '../support/port-suite.js'

const HOUR = 3_600_000
const T0 = Date.parse('2026-01-01T00:00:00Z')

const customer = (id: string, name: string | null = null): Customer => ({
  id,
  email: null,
  name,
  timezone: 'UTC',
  address: null,
  tax_id: null,
  metadata: {},
  created_at: NOW,
  updated_at: NOW,
})

const plan = (code: string, version: number): Plan => ({
  code,
  version,
  name: `${code} v${version}`,
  description: null,
  currency: 'NGN',
  interval: 'month',
  interval_count: 1,
  trial_days: 0,
  fixed_amount: '1000',
  minimum_amount: null,
  tax_rates: [],
  charges: [],
  metadata: {},
  created_at: NOW,
})

const subscription = (
  id: string,
  customer_id: string,
  next_invoice_at: number | null,
): SubscriptionRecord => ({
  id,
  customer_id,
  currency: 'NGN',
  timezone: 'UTC',
  start_at: T0,
  trial_end: null,
  phases: [{ start: T0, plan_code: 'basic', plan_version: 1, interval: 'month', interval_count: 1 }],
  end_at: null,
  canceled_at: null,
  cancel_at_period_end: false,
  status: 'active',
  next_invoice_at,
  revision: 0,
  created_at: T0,
  metadata: {},
})

const event = (key: string, customer_id: string, timestamp: number, hash = `h_${key}`): PreparedEvent => ({
  idempotency_key: key,
  customer_id,
  event_name: 'api_call',
  timestamp,
  properties: {},
  properties_json: '{}',
  payload_hash: hash,
  received_at: timestamp,
})

const numbering: InvoiceNumbering = { sequence: 'INV', format: (n) => `INV-${String(n).padStart(6, '0')}` }

describeOnEveryStorage('billing port', (store) => {
  {
    let storage: Storage
    beforeAll(() => {
      storage = store()
    })

    it('customers: insert once, get, save, list in id order by pages', async () => {
      for (const id of ['c_3', 'c_1', 'c_5', 'c_2', 'c_4'])
        expect(await storage.customers.insert(customer(id))).toBe(true)
      expect(await storage.customers.insert(customer('c_1', 'again'))).toBe(false)
      expect(await storage.customers.get('c_1')).toEqual(customer('c_1'))
      expect(await storage.customers.get('nobody')).toBeNull()
      await storage.customers.save(customer('c_2', 'Ada'))
      expect((await storage.customers.get('c_2'))?.name).toBe('Ada')
      expect(ids(await storage.customers.list({ limit: 2 }))).toEqual(['c_1', 'c_2'])
      expect(ids(await storage.customers.list({ after: 'c_2', limit: 2 }))).toEqual(['c_3', 'c_4'])
      expect(ids(await storage.customers.list({ after: 'c_4', limit: 2 }))).toEqual(['c_5'])
      const racing = await Promise.all(
        Array.from({ length: 10 }, () => storage.customers.insert(customer('c_race'))),
      )
      expect(racing.filter(Boolean)).toHaveLength(1)
    })

    it('plans: one insert per (code, version); listPlans gives the latest of each code', async () => {
      expect(await storage.plans.insert(plan('pro', 1))).toBe(true)
      expect(await storage.plans.insert(plan('basic', 1))).toBe(true)
      expect(await storage.plans.insert(plan('pro', 2))).toBe(true)
      expect(await storage.plans.insert({ ...plan('pro', 2), name: 'other' })).toBe(false)
      expect((await storage.plans.getVersions('pro')).map((p) => [p.version, p.name])).toEqual([
        [1, 'pro v1'],
        [2, 'pro v2'],
      ])
      expect(await storage.plans.getVersions('none')).toEqual([])
      const latest = await storage.plans.list({ limit: 10 })
      expect(latest.map((p) => [p.code, p.version])).toEqual([
        ['basic', 1],
        ['pro', 2],
      ])
      expect(latest[1]).toEqual(plan('pro', 2))
      expect((await storage.plans.list({ after: 'basic', limit: 10 })).map((p) => p.code)).toEqual(['pro'])
      const racing = await Promise.all(Array.from({ length: 10 }, () => storage.plans.insert(plan('pro', 3))))
      expect(racing.filter(Boolean)).toHaveLength(1)
    })

    it('subscriptions: list by customer, due ones, compare-and-set updates', async () => {
      await storage.subscriptions.insert(subscription('s_1', 'c_1', T0 + HOUR))
      await storage.subscriptions.insert(subscription('s_2', 'c_2', T0 + 3 * HOUR))
      await storage.subscriptions.insert(subscription('s_3', 'c_1', null))
      expect(await storage.subscriptions.get('s_1')).toEqual(subscription('s_1', 'c_1', T0 + HOUR))
      expect(await storage.subscriptions.get('s_none')).toBeNull()
      expect(ids(await storage.subscriptions.list({ limit: 10, customer_id: 'c_1' }))).toEqual(['s_1', 's_3'])
      expect(ids(await storage.subscriptions.list({ limit: 10, after: 's_1' }))).toEqual(['s_2', 's_3'])
      expect(ids(await storage.subscriptions.listDue({ limit: 10, due_by: T0 + 2 * HOUR }))).toEqual(['s_1'])
      expect(ids(await storage.subscriptions.listDue({ limit: 10, due_by: T0 + 3 * HOUR }))).toEqual([
        's_1',
        's_2',
      ])
      expect(
        ids(await storage.subscriptions.listDue({ limit: 1, after: 's_1', due_by: T0 + 9 * HOUR })),
      ).toEqual(['s_2'])

      const base = subscription('s_1', 'c_1', T0 + HOUR)
      const results = await Promise.all(
        ['paused', 'past_due', 'active'].map((status) =>
          storage.subscriptions.update({
            ...base,
            status: status as SubscriptionRecord['status'],
            revision: 1,
          }),
        ),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
      const stored = await storage.subscriptions.get('s_1')
      expect(stored?.revision).toBe(1)
      expect(await storage.subscriptions.update({ ...base, revision: 1 })).toBe(false)
      expect(await storage.subscriptions.update({ ...stored!, next_invoice_at: null, revision: 2 })).toBe(
        true,
      )
      expect(ids(await storage.subscriptions.listDue({ limit: 10, due_by: T0 + 3 * HOUR }))).toEqual(['s_2'])
    })

    const createOne = async (doc: Invoice) =>
      (await storage.invoices.create([{ invoice: doc, final: false }], numbering))[0]!

    it('createInvoicesOnce: one invoice per (subscription, period end), even racing', async () => {
      const first = await createOne(draft('in_a1', 's_1', '2026-02-01T00:00:00.000Z'))
      expect(first).toEqual({
        created: true,
        invoice: draft('in_a1', 's_1', '2026-02-01T00:00:00.000Z'),
        advanced: false,
      })
      const again = await createOne({
        ...draft('in_a2', 's_1', '2026-02-01T00:00:00.000Z'),
        total: 5,
      })
      expect(again).toEqual({ created: false, invoice: first.invoice, advanced: false })
      expect(await storage.invoices.get('in_a2')).toBeNull()

      const racing = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          createOne(draft(`in_r${String(i).padStart(2, '0')}`, 's_2', '2026-03-01T00:00:00.000Z')),
        ),
      )
      expect(racing.filter((r) => r.created)).toHaveLength(1)
      const winner = racing.find((r) => r.created)!.invoice.id
      expect(new Set(racing.map((r) => r.invoice.id))).toEqual(new Set([winner]))
      expect(await storage.invoices.list({ limit: 10, subscription_id: 's_2' })).toHaveLength(1)
    })

    it('createInvoicesOnce: batches number their final invoices gaplessly and advance subscriptions', async () => {
      const seq = { sequence: 'BATCH', format: (n: number) => `B-${n}` }
      const batch = (tag: string) =>
        Array.from({ length: 10 }, (_, i) => ({
          invoice: {
            ...draft(`in_${tag}${i}`, `s_b${i}`, '2026-04-01T00:00:00.000Z'),
            status: 'open' as const,
          },
          final: i % 2 === 0,
        }))
      const racing = await Promise.all(['x', 'y', 'z'].map((tag) => storage.invoices.create(batch(tag), seq)))
      const created = racing.flat().filter((r) => r.created)
      expect(created).toHaveLength(10)
      expect(
        created
          .map((r) => r.invoice.number)
          .filter(Boolean)
          .sort(),
      ).toEqual(['B-1', 'B-2', 'B-3', 'B-4', 'B-5'])
      for (const results of racing) {
        expect(results.map((r) => r.invoice.subscription_id)).toEqual(results.map((_, i) => `s_b${i}`))
        expect(new Set(results.map((r) => r.invoice.id)).size).toBe(10)
      }

      const sub = await storage.subscriptions.get('s_1')
      const [advanced] = await storage.invoices.create(
        [
          {
            invoice: draft('in_adv', 's_1', '2026-05-01T00:00:00.000Z'),
            final: false,
            advance: { ...sub!, next_invoice_at: 7, revision: sub!.revision + 1 },
          },
        ],
        seq,
      )
      expect(advanced).toMatchObject({ created: true, advanced: true })
      expect((await storage.subscriptions.get('s_1'))?.next_invoice_at).toBe(7)
      const [stale] = await storage.invoices.create(
        [
          {
            invoice: draft('in_adv2', 's_1', '2026-05-01T00:00:00.000Z'),
            final: false,
            advance: { ...sub!, revision: sub!.revision + 1 },
          },
        ],
        seq,
      )
      expect(stale).toMatchObject({ created: false, advanced: false, invoice: { id: 'in_adv' } })
    })

    it('finalizeInvoice: gapless unique numbers under concurrency; a second finalize is null', async () => {
      const drafts = Array.from({ length: 20 }, (_, i) =>
        draft(`in_f${String(i).padStart(2, '0')}`, `s_f${i}`, '2026-02-01T00:00:00.000Z', 'c_f'),
      )
      for (const doc of drafts) expect((await createOne(doc)).created).toBe(true)
      const finals = await Promise.all(
        drafts.map((d) => storage.invoices.finalize({ ...d, status: 'open', finalized_at: NOW }, numbering)),
      )
      expect(finals.map((f) => f?.number).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => numbering.format(i + 1)),
      )
      const stored = await storage.invoices.get('in_f03')
      expect(stored).toEqual(finals[3])
      expect(stored?.status).toBe('open')
      expect(await storage.invoices.finalize({ ...drafts[3]!, status: 'open' }, numbering)).toBeNull()
      expect(await storage.invoices.updateDraft({ ...drafts[3]!, total: 1 })).toBe(false)
      expect((await storage.invoices.get('in_f03'))?.number).toBe(finals[3]?.number)

      const other = await storage.invoices.finalize(
        { ...draft('in_a1', 's_1', '2026-02-01T00:00:00.000Z'), status: 'open' },
        { sequence: 'OTHER', format: (n) => `O-${n}` },
      )
      expect(other?.number).toBe('O-1')
      expect(
        ids(await storage.invoices.list({ limit: 30, customer_id: 'c_f', status: 'open' })),
      ).toHaveLength(20)
      expect(ids(await storage.invoices.list({ limit: 2, after: 'in_f18', customer_id: 'c_f' }))).toEqual([
        'in_f19',
      ])
    })

    it('updateDraftInvoice and updateInvoiceStatus: one transition wins', async () => {
      const doc = draft('in_d1', 's_d', '2026-02-01T00:00:00.000Z')
      await createOne(doc)
      expect(await storage.invoices.updateDraft({ ...doc, total: 42 })).toBe(true)
      expect(await storage.invoices.updateDraft({ ...doc, total: 42 })).toBe(true)
      expect((await storage.invoices.get('in_d1'))?.total).toBe(42)

      const voids = await Promise.all(
        Array.from({ length: 5 }, () =>
          storage.invoices.transition('in_d1', ['draft', 'open'], {
            status: 'void',
            updated_at: NOW,
            voided_at: NOW,
          }),
        ),
      )
      expect(voids.filter((v) => v !== null)).toHaveLength(1)
      const voided = await storage.invoices.get('in_d1')
      expect(voided).toMatchObject({ status: 'void', voided_at: NOW, total: 42 })
      expect(await storage.invoices.finalize({ ...doc, status: 'open' }, numbering)).toBeNull()
      expect(
        await storage.invoices.transition('nope', ['draft'], { status: 'void', updated_at: NOW }),
      ).toBeNull()

      const paid = await storage.invoices.transition('in_f00', ['open'], { status: 'paid', updated_at: NOW })
      expect(paid).toMatchObject({ id: 'in_f00', status: 'paid', number: expect.any(String) })
      expect(
        await storage.invoices.transition('in_f00', ['open'], { status: 'paid', updated_at: NOW }),
      ).toBeNull()
      expect(ids(await storage.invoices.list({ limit: 10, status: 'paid' }))).toEqual(['in_f00'])
    })

    it('closePeriods: a new older event is closed, newer ones accepted, stored keys stay duplicates', async () => {
      const effects = compileMeterEffects
      // No meter reads these events: each accepted one carries that warning.
      const accepted = {
        status: 'accepted',
        warnings: [{ code: 'NO_METER_MATCHED', message: expect.any(String) }],
      }
      const mark = T0 + 10 * HOUR
      const stored = event('k_stored', 'c_close', T0 + HOUR)
      expect(await storage.events.append([stored], effects)).toEqual([accepted])
      await storage.events.closePeriods([
        { customer_id: 'c_close', before: mark },
        { customer_id: 'c_other', before: T0 },
      ])
      // Never lowered.
      await storage.events.closePeriods([{ customer_id: 'c_close', before: T0 + 2 * HOUR }])

      const outcomes = await storage.events.append(
        [
          event('k_old', 'c_close', T0 + 5 * HOUR),
          event('k_new', 'c_close', mark),
          stored,
          event('k_free', 'c_free', T0 + HOUR),
          event('k_other', 'c_other', T0 + HOUR),
        ],
        effects,
      )
      expect(outcomes).toEqual([
        { status: 'closed', closed_before: mark },
        accepted,
        { status: 'duplicate', stored_hash: 'h_k_stored' },
        accepted,
        accepted,
      ])
      expect(await storage.events.append([{ ...stored, payload_hash: 'different' }], effects)).toEqual([
        { status: 'conflict', stored_hash: 'h_k_stored' },
      ])
      const keys = (await storage.events.list({ customer_id: 'c_close', limit: 10 })).map(
        (e) => e.idempotency_key,
      )
      expect(keys).toEqual(['k_stored', 'k_new'])
    })

    it('closePeriods waits for appends in flight: usage read afterwards is final', async () => {
      const effects = compileMeterEffects
      const mark = T0 + 10 * HOUR
      const appends = Array.from({ length: 40 }, (_, i) =>
        storage.events.append([event(`k_flight_${i}`, 'c_flight', T0 + HOUR)], effects),
      )
      const closing = storage.events.closePeriods([{ customer_id: 'c_flight', before: mark }])
      await closing
      const storedAtClose = (await storage.events.list({ customer_id: 'c_flight', limit: 100 })).length
      const outcomes = (await Promise.all(appends)).flat()
      const accepted = outcomes.filter((o) => o.status === 'accepted').length
      expect(accepted + outcomes.filter((o) => o.status === 'closed').length).toBe(40)
      expect(storedAtClose).toBe(accepted)
    })
  }
})
