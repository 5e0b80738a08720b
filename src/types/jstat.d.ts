/** The part of jStat (no published types) this project uses: Student's t quantile. */
declare module 'jstat' {
  interface JStat {
    studentt: {
      /** The p-quantile of Student's t with dof degrees of freedom. */
      inv(p: number, dof: number): number
    }
  }
  const jStat: JStat
  export default jStat
}
