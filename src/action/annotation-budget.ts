/**
 * One budget of annotations for the whole step: GitHub shows at most 10 error and 10 warning
 * annotations of a step and silently drops the rest, so every error and warning the step emits
 * (gate and probe warnings, configuration problems, SLO annotations, publishing, the failure line)
 * goes through here. The step's failure line always keeps its reserved slot; what does not fit
 * still reaches the log as a plain line, and one last annotation per level says how many did.
 */
export const MAX_ANNOTATIONS_PER_LEVEL = 10

export type AnnotationLevel = 'error' | 'warning'

export interface AnnotationProps {
  title?: string
  file?: string
  startLine?: number
}

/** Where annotations go: @actions/core in the action, an array in tests. */
export interface AnnotationSink {
  error: (message: string, props?: AnnotationProps) => void
  warning: (message: string, props?: AnnotationProps) => void
  /** A plain log line (no annotation). */
  info: (message: string) => void
  /** Fails the step without a line of its own. */
  failStep: () => void
}

export class AnnotationBudget {
  private readonly used: Record<AnnotationLevel, number> = { error: 0, warning: 0 }
  private readonly over: Record<AnnotationLevel, number> = { error: 0, warning: 0 }
  private failLineShown = false
  private readonly counted: Record<AnnotationLevel, boolean> = { error: false, warning: false }

  constructor(
    private readonly sink: AnnotationSink,
    private readonly max = MAX_ANNOTATIONS_PER_LEVEL,
  ) {}

  /**
   * Annotations of this level that still fit, besides the reserved ones: one per level for the line
   * that counts the rest, and for errors one more for the step's failure line.
   */
  room(level: AnnotationLevel): number {
    const reserved = level === 'error' ? 2 : 1
    return Math.max(0, this.max - reserved - this.used[level])
  }

  error(message: string, props?: AnnotationProps): void {
    this.emit('error', message, props)
  }

  warning(message: string, props?: AnnotationProps): void {
    this.emit('warning', message, props)
  }

  /** The step fails with this line, always shown: the first one takes the reserved slot. */
  fail(message: string): void {
    this.flush()
    if (!this.failLineShown) {
      this.failLineShown = true
      this.sink.error(message)
    } else {
      this.emit('error', message)
    }
    this.sink.failStep()
  }

  /** The step fails on lines already shown (a single configuration problem is its own failure line). */
  failStep(): void {
    this.sink.failStep()
  }

  /** The line counting each level's annotations that did not fit; once, in their reserved slots. */
  flush(): void {
    for (const level of ['error', 'warning'] as const) {
      const n = this.over[level]
      if (n === 0 || this.counted[level]) continue
      this.counted[level] = true
      const what = `${n} more ${level}${n === 1 ? '' : 's'}`
      this.sink[level](`…and ${what} in the job log (GitHub shows ${this.max} per step)`, { title: what })
    }
  }

  private emit(level: AnnotationLevel, message: string, props?: AnnotationProps): void {
    if (this.room(level) > 0) {
      this.used[level]++
      this.sink[level](message, props)
      return
    }
    this.over[level]++
    const at = props?.file ? `${props.file}${props.startLine !== undefined ? `:${props.startLine}` : ''}: ` : ''
    this.sink.info(`${level === 'error' ? 'Error' : 'Warning'}: ${at}${props?.title ? `${props.title}: ` : ''}${message}`)
  }
}
