/** What a webhook delivery sends: the body, its headers and the HMAC-SHA256 signature. */
import { randomUUID } from 'node:crypto'
import { ResultsFileSchema, type ResultsFile } from '../../src/results/schema.js'
import { buildDelivery, signDelivery, type WebhookBody } from '../../src/webhook/payload.js'
import { NOW, NOW_S, results, SECRET } from './helpers.js'
import { SECTION } from '../support/capacity-section.js'

// --- the fixture and the body ----------------------------------------------------------------

describe('the delivery', () => {
  it('carries the results file plus the headline fields and the breach signal', () => {
    const id = randomUUID()
    const d = buildDelivery(results, { secret: SECRET, now: NOW, deliveryId: id })
    const body = JSON.parse(d.body) as WebhookBody

    expect(body.schema).toBe('perf-xi/webhook@1')
    expect(body.event).toBe('run.completed')
    expect(body.delivery_id).toBe(id)
    expect(body.run_id).toBe(results.run.id)
    expect(body.slo_status).toBe('fail')
    expect(body.ci_gate).toBe('fail')
    expect(body.slis).toEqual(results.slis)
    expect(body.breach).toEqual({ status: 'fail', breaches: results.slo_breaches })
    expect(body.breach?.breaches.length).toBeGreaterThan(0)
    // The full document is inside, unchanged, and still valid against the results schema.
    expect(ResultsFileSchema.parse(body.results)).toEqual(results)
  })

  it("carries a capacity run's capacity section", () => {
    const capacityRun: ResultsFile = { ...results, capacity: SECTION }
    const body = JSON.parse(buildDelivery(capacityRun, { secret: SECRET, now: NOW, deliveryId: randomUUID() }).body) as WebhookBody
    expect(ResultsFileSchema.parse(body.results).capacity).toEqual(SECTION)
  })

  it('has no breach signal when no SLO was breached', () => {
    const passing: ResultsFile = { ...results, verdict: 'pass', ci_gate: 'pass', slo_breaches: [], reasons: [] }
    const body = JSON.parse(buildDelivery(passing, { secret: SECRET, now: NOW, deliveryId: randomUUID() }).body) as WebhookBody
    expect(body.slo_status).toBe('pass')
    expect(body.breach).toBeNull()
  })

  it('sets every header the receiver needs', () => {
    const id = randomUUID()
    const d = buildDelivery(results, { secret: SECRET, now: NOW, deliveryId: id })
    expect(d.headers).toEqual({
      'Content-Type': 'application/json',
      'User-Agent': 'Perf-Xi',
      'X-Perf-Xi-Event': 'run.completed',
      'X-Perf-Xi-Delivery': id,
      'X-Perf-Xi-Timestamp': String(NOW_S),
      'X-Perf-Xi-Signature': signDelivery(d.body, SECRET, NOW_S),
    })
  })

  it('signs "timestamp.body" with HMAC-SHA256 (vector from openssl dgst -sha256 -hmac)', () => {
    expect(signDelivery('{"hello":"world"}', 'whsec_test_vector', 1700000000)).toBe('sha256=32380ce91a19fd38f321c0b5f43c6124ea9098b5824f991124761a61c36bad35')
  })

  it.each([
    { what: 'an empty secret', opts: { secret: '' }, message: /secret is empty/ },
    { what: 'a delivery id that is not a UUID', opts: { deliveryId: 'run-42' }, message: /must be a UUID/ },
  ])('refuses $what', ({ opts, message }) => {
    expect(() => buildDelivery(results, { secret: SECRET, now: NOW, deliveryId: randomUUID(), ...opts })).toThrow(message)
  })
})
