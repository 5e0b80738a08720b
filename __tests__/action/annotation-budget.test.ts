/**
 * One annotation budget per step: GitHub shows 10 errors and 10 warnings of a step, so however many
 * the step emits, the failure line is always among them and one line counts what did not fit, which
 * still reaches the log.
 */
import { AnnotationBudget, type AnnotationProps } from '../../src/action/annotation-budget.js'

interface Emitted {
  level: 'error' | 'warning' | 'info' | 'fail'
  message: string
  props?: AnnotationProps
}

function recording() {
  const out: Emitted[] = []
  const budget = new AnnotationBudget({
    error: (message, props) => out.push({ level: 'error', message, props }),
    warning: (message, props) => out.push({ level: 'warning', message, props }),
    info: (message) => out.push({ level: 'info', message }),
    failStep: () => out.push({ level: 'fail', message: '' }),
  })
  const annotations = (level: 'error' | 'warning') => out.filter((e) => e.level === level)
  return { out, budget, annotations }
}

describe('the step annotation budget', () => {
  it('keeps 17 probe warnings to 10 annotations, the last counting the 8 others, all 17 in the log', () => {
    const { out, budget, annotations } = recording()
    for (let i = 1; i <= 17; i++) budget.warning(`probe ${i}: GET /e${i} answered 404`)
    budget.flush()
    expect(annotations('warning')).toHaveLength(10)
    expect(annotations('warning')[9]).toEqual({
      level: 'warning',
      message: '…and 8 more warnings in the job log (GitHub shows 10 per step)',
      props: { title: '8 more warnings' },
    })
    const logged = out.filter((e) => e.level === 'info').map((e) => e.message)
    expect(logged).toEqual(Array.from({ length: 8 }, (_, i) => `Warning: probe ${i + 10}: GET /e${i + 10} answered 404`))
  })

  it('always shows the failure line, even after more errors than GitHub shows', () => {
    const { out, budget, annotations } = recording()
    for (let i = 1; i <= 12; i++) budget.error(`GET /e${i}: p95 breached`, { title: `SLO breached: GET /e${i}`, file: '.github/perf-xi.yml', startLine: i })
    budget.fail('Perf-Xi: 12 SLOs breached')
    budget.flush()
    const errors = annotations('error')
    expect(errors).toHaveLength(10)
    expect(errors.slice(8).map((e) => e.message)).toEqual(['…and 4 more errors in the job log (GitHub shows 10 per step)', 'Perf-Xi: 12 SLOs breached'])
    expect(out.filter((e) => e.level === 'info')[0]!.message).toBe('Error: .github/perf-xi.yml:9: SLO breached: GET /e9: GET /e9: p95 breached')
    expect(out.filter((e) => e.level === 'fail')).toHaveLength(1)
  })

  it('counts warnings and errors apart, and adds no counting line when everything fit', () => {
    const { budget, annotations } = recording()
    for (let i = 0; i < 9; i++) budget.warning(`w${i}`)
    for (let i = 0; i < 8; i++) budget.error(`e${i}`)
    budget.fail('failed')
    budget.flush()
    expect({ warnings: annotations('warning').length, errors: annotations('error').length }).toEqual({ warnings: 9, errors: 9 })
    expect(annotations('error').some((e) => e.message.includes('more'))).toBe(false)
  })

  it('says how much room is left, so a report can sum up its own rest in the slots there are', () => {
    const { budget } = recording()
    expect({ error: budget.room('error'), warning: budget.room('warning') }).toEqual({ error: 8, warning: 9 })
    for (let i = 0; i < 5; i++) budget.warning(`w${i}`)
    budget.error('e')
    expect({ error: budget.room('error'), warning: budget.room('warning') }).toEqual({ error: 7, warning: 4 })
  })

  it('shows a second failure line (a required webhook after a failed gate) where there is room, failing the step either way', () => {
    const { out, budget, annotations } = recording()
    budget.fail('Perf-Xi: 1 SLO breached')
    budget.fail('webhook to https://hooks.example/x was not delivered')
    expect(annotations('error').map((e) => e.message)).toEqual(['Perf-Xi: 1 SLO breached', 'webhook to https://hooks.example/x was not delivered'])
    expect(out.filter((e) => e.level === 'fail')).toHaveLength(2)
  })
})
