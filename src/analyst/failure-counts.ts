/**
 * Failed answers by kind, per endpoint: k6's summary has no status breakdown, and its raw output
 * costs k6 CPU on every request, so the generated script counts failures itself in counters named
 * `perf_xi_failed_<operation index>_<kind>` (templates/k6-script.js.hbs, countFailure), which only
 * a failed request touches and k6's summary reports when they counted anything. This reads them back.
 */
import type { K6Summary, MetricValues } from '../k6/summary.js'
import type { EndpointFailures, FailureCount } from './diagnosis.js'

export const FAILURE_METRIC_PREFIX = 'perf_xi_failed_'

/**
 * The kinds the script counts: the statuses a failing API answers most, the rest by class, and the
 * answers that never came (k6's error_code: 1050 request timeout, 1211 dial timeout, 1212 connection
 * refused, 1220 connection reset). Each VU declares every kind for every operation at its start
 * (k6 allows it at no other time), about 10 µs each with k6 1.8.1: hence a short list.
 */
export const FAILURE_KINDS = [
  '400',
  '401',
  '403',
  '404',
  '409',
  '422',
  '429',
  '4xx',
  '500',
  '502',
  '503',
  '504',
  '5xx',
  'timeout',
  'connection_refused',
  'connection_reset',
  'network_error',
] as const

/** Statuses whose Retry-After is counted too: rate limiting, a service over its capacity. */
export const RETRY_AFTER_KINDS = ['429', '503'] as const
export const RETRY_AFTER_SUFFIX = '_retry_after'

/**
 * The classes the statuses not listed above are counted in (405, 410, 418, 501, …). k6 declares
 * metrics only as a VU starts, so such a status cannot get a counter of its own: the script adds it
 * to a trend per class (`<counter>_status`), whose min and max in k6's summary name it when it was
 * the only one and give the range when there were several. Only these failed answers touch it.
 */
export const STATUS_CLASS_KINDS = ['4xx', '5xx'] as const
export const STATUS_SUFFIX = '_status'

/** k6 error codes of answers that never came, by the kind they count as; any other is network_error. */
export const NETWORK_ERROR_KINDS: Readonly<Record<number, string>> = { 1050: 'timeout', 1211: 'timeout', 1212: 'connection_refused', 1220: 'connection_reset' }

/**
 * Plans of more endpoints than this count failures in counters per kind tagged with the operation's
 * index (FAILURE_OPERATION_TAG), read through thresholds that cannot fail: counters per operation
 * would have each VU declare FAILURE_KINDS × endpoints of them at its start (50 endpoints: ≈ 10 ms a VU).
 */
export const FAILURE_COUNTS_MAX_ENDPOINTS = 50
export const FAILURE_OPERATION_TAG = 'perf_xi_op'

/**
 * Each endpoint's failures (in the plan's order, its index the counters'); endpoints without any are
 * left out. A status class's answers are named by their one status when they all had it, else
 * carry the range of statuses seen (neither when the summary lacks the class's trend).
 */
export function failuresFromSummary(summary: Pick<K6Summary, 'metrics'>, endpoints: readonly string[]): EndpointFailures[] {
  return endpoints.flatMap((endpoint, index) => {
    const metric = (kind: string) =>
      summary.metrics[`${FAILURE_METRIC_PREFIX}${index}_${kind}`] ?? summary.metrics[`${FAILURE_METRIC_PREFIX}${kind}{${FAILURE_OPERATION_TAG}:${index}}`]
    const count = (kind: string) => metric(kind)?.count ?? 0
    const errors: FailureCount[] = FAILURE_KINDS.map((kind) => {
      const failed: FailureCount = {
        code: kind.replace(/_/g, '-'),
        count: count(kind),
        retry_after: (RETRY_AFTER_KINDS as readonly string[]).includes(kind) ? count(`${kind}${RETRY_AFTER_SUFFIX}`) : 0,
      }
      return (STATUS_CLASS_KINDS as readonly string[]).includes(kind) ? namedByStatuses(failed, metric(`${kind}${STATUS_SUFFIX}`)) : failed
    }).filter((e) => e.count > 0)
    return errors.length > 0 ? [{ endpoint, errors }] : []
  })
}

/** A status class's failures named by the statuses its trend saw: the one status, or the class with their range. */
function namedByStatuses(failed: FailureCount, statuses: MetricValues | undefined): FailureCount {
  const { min, max } = statuses ?? {}
  if (failed.count === 0 || min === undefined || max === undefined || !Number.isInteger(min) || !Number.isInteger(max) || min < 100) return failed
  return min === max ? { ...failed, code: String(min) } : { ...failed, codes: { min, max } }
}

/** The kind a streamed failed sample counts as (k6's status and error_code tags): its status, or what stopped the answer. */
export function failureCode(status: string, errorCode: string): string {
  if (status !== '' && status !== '0') return status
  return (NETWORK_ERROR_KINDS[Number(errorCode)] ?? 'network_error').replace(/_/g, '-')
}
