/**
 * The config file's `dataset:` block: a CSV or JSON file whose rows fill path, query and body
 * values (src/plan/dataset.ts reads and binds it). A leaf, merged into ConfigFileSchema as
 * `...DatasetConfigShape`.
 */
import path from 'node:path'
import { z } from 'zod'

export const DATASET_FORMATS = ['csv', 'json'] as const
export type DatasetFormat = (typeof DATASET_FORMATS)[number]

const got = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value))

export const DatasetConfigSchema = z
  .strictObject({
    file: z.unknown().transform((value, ctx): string => {
      if (typeof value === 'string' && value.trim() !== '') return value.trim()
      ctx.addIssue({
        code: 'custom',
        message: `file: expected the path of a CSV or JSON file, relative to the workspace, such as data/users.csv, got ${got(value)}`,
      })
      return z.NEVER
    }),
    format: z.enum(DATASET_FORMATS, { error: (issue) => `format: expected csv or json, got ${got(issue.input)}` }).optional(),
    delimiter: z
      .unknown()
      .transform((value, ctx): string => {
        if (typeof value === 'string' && value.length === 1 && !/["\r\n]/.test(value)) return value
        ctx.addIssue({ code: 'custom', message: `delimiter: expected one character such as "," ";" or "\\t" (not a quote or line break), got ${got(value)}` })
        return z.NEVER
      })
      .optional(),
    map: z
      .record(
        z.string().min(1),
        z.unknown().transform((value, ctx): string | false => {
          if ((typeof value === 'string' && value !== '') || value === false) return value as string | false
          ctx.addIssue({ code: 'custom', message: `map: expected a column name of the file (or false to leave the parameter alone), got ${got(value)}` })
          return z.NEVER
        }),
      )
      .optional(),
    endpoints: z.array(z.string().min(1)).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.format === undefined && formatFromExtension(config.file) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['file'],
        message: `file: cannot tell the format of ${config.file} from its extension (.csv, .tsv or .json); add format: csv or format: json`,
      })
    }
  })
export type DatasetConfig = z.infer<typeof DatasetConfigSchema>

/** Spread into ConfigFileSchema: `z.strictObject({ ...existing, ...DatasetConfigShape })`. */
export const DatasetConfigShape = {
  dataset: DatasetConfigSchema.optional(),
}

/** The format and delimiter a file's extension tells; undefined when it tells none. */
export function formatFromExtension(file: string): { format: DatasetFormat; delimiter: string } | undefined {
  const ext = path.extname(file).toLowerCase()
  if (ext === '.csv') return { format: 'csv', delimiter: ',' }
  if (ext === '.tsv') return { format: 'csv', delimiter: '\t' }
  if (ext === '.json') return { format: 'json', delimiter: ',' }
  return undefined
}
