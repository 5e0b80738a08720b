/** The part of jStat (no published types) this project calls: Student's t and the standard normal distribution. */
declare module 'jstat' {
  interface NormalDistribution {
    /** P(X ≤ x) for X ~ N(mean, std²). */
    cdf(x: number, mean: number, std: number): number
    /** The p-quantile of N(mean, std²). */
    inv(p: number, mean: number, std: number): number
  }
  interface JStat {
    studentt: {
      /** The p-quantile of Student's t with dof degrees of freedom. */
      inv(p: number, dof: number): number
    }
    normal: NormalDistribution
  }
  const jStat: JStat
  export default jStat
}
