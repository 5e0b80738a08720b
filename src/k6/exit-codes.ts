/**
 * k6's exit codes are a contract (errext/exitcodes in k6): 99 means the test ran and thresholds
 * failed, which is a verdict; every other non-zero code means the test did not run properly.
 */
export const K6_EXIT = {
  ok: 0,
  thresholdsFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  genericTimeout: 102,
  genericEngine: 103,
  invalidConfig: 104,
  externalAbort: 105,
  cannotStartRestApi: 106,
  scriptException: 107,
  scriptAborted: 108,
} as const

const MEANING: Record<number, string> = {
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'k6 timed out',
  103: 'k6 engine error',
  104: 'invalid k6 configuration',
  105: 'the test was aborted from outside',
  106: 'k6 could not start its REST API',
  107: 'the script threw an exception',
  108: 'the script aborted the test',
}

export type K6Outcome = { ran: true; thresholdsFailed: boolean } | { ran: false; reason: string }

/** Turns k6's exit code (and its own last error message) into what it means for the verdict. */
export function interpretExitCode(code: number | null, signal: string | null, k6Message?: string): K6Outcome {
  if (code === K6_EXIT.ok) return { ran: true, thresholdsFailed: false }
  if (code === K6_EXIT.thresholdsFailed) return { ran: true, thresholdsFailed: true }
  const what = code === null ? `k6 was killed by ${signal ?? 'a signal'}` : `${MEANING[code] ?? 'k6 failed'} (exit code ${code})`
  return { ran: false, reason: k6Message ? `${what}: ${k6Message}` : what }
}

/** k6 logs errors as logfmt lines: level=error msg="..."; the last one explains a failed run. */
export function lastK6Error(stderr: string): string | undefined {
  const matches = [...stderr.matchAll(/level=error msg="((?:[^"\\]|\\.)*)"/g)]
  const last = matches.at(-1)?.[1]
  if (last === undefined) return undefined
  try {
    return JSON.parse(`"${last}"`).split('\n')[0].trim()
  } catch {
    return last
  }
}
