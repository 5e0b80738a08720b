/** Descriptive statistics of a sample: pure numbers in, a number out (no formatting, no results knowledge). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Sample standard deviation (n − 1). */
export function stdDev(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1))
}

/** exp(mean(ln v)): the mean of values whose noise is multiplicative. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 1) return values[0]
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length)
}
