import { parseConfigFile } from '../../src/config/load.js'

const parse = (yaml: string) => parseConfigFile(yaml, 'perf-xi.yml')

describe('the slo-recommendations block of the config file', () => {
  it.each([
    { what: 'a percentage with its sign', yaml: 'slo-recommendations:\n  margin: 20%\n', margin: 1.2, history: 20 },
    { what: 'a bare number', yaml: 'slo-recommendations:\n  margin: 50\n  history: 30\n', margin: 1.5, history: 30 },
    { what: 'no headroom at all', yaml: 'slo-recommendations:\n  margin: 0%\n', margin: 1, history: 20 },
    { what: 'an empty block: the defaults', yaml: 'slo-recommendations: {}\n', margin: 1.2, history: 20 },
  ])('$what', ({ yaml, margin, history }) => {
    const { file, problems } = parse(yaml)
    expect(problems).toEqual([])
    expect(file['slo-recommendations']).toEqual({ margin, history })
  })

  it.each([
    {
      what: 'a margin as a factor',
      yaml: 'slo-recommendations:\n  margin: 1.2x\n',
      problem:
        'perf-xi.yml:2: slo-recommendations.margin: expected the headroom over the history\'s bound as a percentage from 0 to 200 such as 20%, got "1.2x"',
    },
    {
      what: 'a margin too large',
      yaml: 'slo-recommendations:\n  margin: 500%\n',
      problem:
        'perf-xi.yml:2: slo-recommendations.margin: expected the headroom over the history\'s bound as a percentage from 0 to 200 such as 20%, got "500%"',
    },
    {
      what: 'fewer runs than a recommendation needs',
      yaml: 'slo-recommendations:\n  history: 3\n',
      problem: 'perf-xi.yml:2: slo-recommendations.history: expected a whole number of base-branch runs from 5 to 50, got 3',
    },
    { what: 'an unknown key', yaml: 'slo-recommendations:\n  confidence: 99%\n', problem: 'perf-xi.yml:2: slo-recommendations.confidence: unknown setting' },
  ])('refuses $what with one line naming file, line and value', ({ yaml, problem }) => {
    expect(parse(yaml).problems).toEqual([problem])
  })
})
