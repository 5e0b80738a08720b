/** SLIs the comparison can judge, named as in the results file. */
export const REGRESSION_METRICS = ['p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'max_ms', 'avg_ms', 'error_rate_pct', 'rps'] as const
export type RegressionMetric = (typeof REGRESSION_METRICS)[number]
