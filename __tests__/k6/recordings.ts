/**
 * The recorded k6 runs under __tests__/fixtures/timeline (see its README): real `--out json` lines
 * of the gate's own scripts against the sample API, with the executor k6 ran them under.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { TimelineAggregator, timelineOptionsFor, type Timeline } from '../../src/k6/timeline.js'
import { totalDurationMs, type Executor } from '../../src/plan/profiles.js'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'timeline')

export const RECORDINGS = ['stress-capacity', 'stress-contention', 'stress-health', 'spike-health', 'spike-capacity', 'spike-late-recovery'] as const
export type RecordingName = (typeof RECORDINGS)[number]

export interface Recording {
  name: RecordingName
  /** k6's output lines, as k6 wrote them. */
  output: Buffer
  executor: Executor
  profile: 'stress' | 'spike'
  sampleApi: { capacity: Record<string, number> }
}

const cache = new Map<RecordingName, Recording>()

export function recording(name: RecordingName): Recording {
  let found = cache.get(name)
  if (!found) {
    const meta = JSON.parse(readFileSync(path.join(dir, `${name}.meta.json`), 'utf8')) as Omit<Recording, 'name' | 'output'>
    found = {
      name,
      output: gunzipSync(readFileSync(path.join(dir, `${name}.jsonl.gz`))),
      executor: meta.executor,
      profile: meta.profile,
      sampleApi: meta.sampleApi,
    }
    cache.set(name, found)
  }
  return found
}

/** The recording folded as the gate folds a run: window length from the plan, the output in chunks of `chunkBytes`. */
export function timelineOf(name: RecordingName, chunkBytes = 64 * 1024): Timeline {
  const { output, executor } = recording(name)
  const aggregator = new TimelineAggregator(timelineOptionsFor(totalDurationMs(executor)))
  for (let at = 0; at < output.length; at += chunkBytes) aggregator.write(output.subarray(at, at + chunkBytes))
  aggregator.end()
  return aggregator.result()
}

/** Every sample of a recording, read with JSON.parse: the oracle the aggregation is checked against. */
export function samplesOf(name: RecordingName): Array<{ metric: string; timeMs: number; value: number }> {
  return recording(name)
    .output.toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const sample = JSON.parse(line) as { metric: string; data: { time: string; value: number } }
      return { metric: sample.metric, timeMs: Date.parse(sample.data.time), value: sample.data.value }
    })
}
