/**
 * k6's exit codes are a contract (errext/exitcodes/codes.go of the pinned k6 1.8.1). Some mean the
 * test ran and failed, which is a verdict; the rest mean it did not run properly. The table also
 * says where k6 v2 differs, so a move to v2 starts here.
 */

export type K6Outcome =
  | { ran: true; failed: false }
  /** The test ran and k6 judged it failed: thresholds crossed (99) or exec.test.fail() (110). */
  | { ran: true; failed: 'thresholds' | 'marked-failed' }
  | { ran: false; reason: string }

interface ExitCodeEntry {
  code: number
  /** What the code means, as the user reads it. */
  meaning: string
  /** The test ran to its end and the code is a judgement of it, not a failure to run. */
  ran: boolean
  /** Where k6 v2 gives the code another or a wider meaning. */
  k6v2?: string
}

export const K6_EXIT_CODES = {
  ok: { code: 0, meaning: 'the test ran', ran: true },
  cloudTestRunFailed: {
    code: 97,
    meaning: 'the cloud test run failed',
    ran: false,
    k6v2: 'also every cloud run aborted for a reason other than thresholds',
  },
  cloudFailedToGetProgress: { code: 98, meaning: "k6 could not read the cloud test run's progress", ran: false },
  thresholdsFailed: { code: 99, meaning: 'thresholds were crossed', ran: true },
  setupTimeout: { code: 100, meaning: 'setup() timed out', ran: false },
  teardownTimeout: { code: 101, meaning: 'teardown() timed out', ran: false },
  genericTimeout: { code: 102, meaning: 'k6 timed out', ran: false },
  stoppedFromRestApi: { code: 103, meaning: "the test was stopped through k6's REST API", ran: false },
  invalidConfig: { code: 104, meaning: 'invalid k6 configuration', ran: false },
  externalAbort: { code: 105, meaning: 'k6 was stopped by a signal', ran: false },
  cannotStartRestApi: { code: 106, meaning: 'k6 could not start its REST API', ran: false },
  scriptException: { code: 107, meaning: 'the script threw an exception', ran: false },
  scriptAborted: { code: 108, meaning: 'the script aborted the test (exec.test.abort())', ran: false },
  goPanic: { code: 109, meaning: 'k6 crashed (a Go panic)', ran: false },
  markedAsFailed: { code: 110, meaning: 'the script marked the test as failed (exec.test.fail())', ran: true },
} as const satisfies Record<string, ExitCodeEntry>

export type K6ExitName = keyof typeof K6_EXIT_CODES

const BY_CODE: ReadonlyMap<number, ExitCodeEntry> = new Map(Object.values(K6_EXIT_CODES).map((entry) => [entry.code, entry]))

/** The table's entry for an exit code; undefined for a code the pinned k6 does not use. */
export function k6ExitCode(code: number): ExitCodeEntry | undefined {
  return BY_CODE.get(code)
}

/** Turns k6's exit code (and its own last error message) into what it means for the verdict. */
export function interpretExitCode(code: number | null, signal: string | null, k6Message?: string): K6Outcome {
  if (code === K6_EXIT_CODES.ok.code) return { ran: true, failed: false }
  if (code === K6_EXIT_CODES.thresholdsFailed.code) return { ran: true, failed: 'thresholds' }
  if (code === K6_EXIT_CODES.markedAsFailed.code) return { ran: true, failed: 'marked-failed' }
  const what = code === null ? `k6 was killed by ${signal ?? 'a signal'}` : `${k6ExitCode(code)?.meaning ?? 'k6 failed'} (exit code ${code})`
  return { ran: false, reason: k6Message ? `${what}: ${k6Message}` : what }
}

/** The whole text of k6's last `level=error msg="…"` line (k6 logs logfmt), unescaped. */
export function lastK6ErrorText(stderr: string): string | undefined {
  const matches = [...stderr.matchAll(/level=error msg="((?:[^"\\]|\\.)*)"/g)]
  const last = matches.at(-1)?.[1]
  if (last === undefined) return undefined
  try {
    return JSON.parse(`"${last}"`) as string
  } catch {
    return last
  }
}

/** k6's last error on one line: every line of it (a 104 lists each bad option on its own), without stack frames. */
export function lastK6Error(stderr: string): string | undefined {
  const text = lastK6ErrorText(stderr)
  return text === undefined ? undefined : oneLineK6Message(text)
}

/**
 * "There were problems with the specified script configuration:\n\t- a\n\t- b" becomes
 * "There were problems with the specified script configuration: a; b".
 */
export function oneLineK6Message(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^at (file:|native|\S+ \()/.test(line))
  const [first = '', ...rest] = lines
  const items = rest.map((line) => line.replace(/^- /, ''))
  if (items.length === 0) return first
  return first.endsWith(':') ? `${first} ${items.join('; ')}` : [first, ...items].join('; ')
}
