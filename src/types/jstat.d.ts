/** The part of jstat (no types of its own) this code base calls: the standard normal distribution. */
declare module 'jstat' {
  interface NormalDistribution {
    /** P(X ≤ x) for X ~ N(mean, std²). */
    cdf(x: number, mean: number, std: number): number
    /** The p-quantile of N(mean, std²). */
    inv(p: number, mean: number, std: number): number
  }
  const jStat: { normal: NormalDistribution }
  export default jStat
}
