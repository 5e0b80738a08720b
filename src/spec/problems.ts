/**
 * What reading a description found wrong and worked around: one warning per problem with its
 * file:line, at most `WARNINGS_PER_KIND` of each kind and then a count, so a generated spec with
 * hundreds of the same slip stays readable. Problems that rule out single operations are not
 * warnings: they become the operation's `Endpoint.unusable`, which the plan lists as skipped.
 */

/** A step of a JSON pointer into the document: a property name or an array index. */
export type Segment = string | number

/** Warnings shown per kind of problem; the rest are counted in one line. */
export const WARNINGS_PER_KIND = 10

export class SpecProblems {
  private readonly kinds = new Map<string, { shown: string[]; more: number }>()

  /** @param where "file:line:column" of a node, or the file alone when it has no line. */
  constructor(private readonly where: (at: Segment[]) => string) {}

  /** `kind` groups warnings for the cap and names them in the count line ("unknown properties ignored"). */
  warn(kind: string, at: Segment[], message: string): void {
    let entry = this.kinds.get(kind)
    if (!entry) this.kinds.set(kind, (entry = { shown: [], more: 0 }))
    if (entry.shown.length < WARNINGS_PER_KIND) entry.shown.push(`${this.where(at)}: ${message}`)
    else entry.more++
  }

  warnings(): string[] {
    const out: string[] = []
    for (const [kind, { shown, more }] of this.kinds) {
      out.push(...shown)
      if (more > 0) out.push(`… and ${more} more: ${kind}`)
    }
    return out
  }
}
