/**
 * The load shape of a run: the settings that decide whether two runs can be compared. A smoke run
 * is no baseline for a load run, nor a run of one endpoint for a run of all of them. SLOs, auth and
 * the reporting settings are not part of it: tightening an SLO keeps the history.
 */
import { createHash } from 'node:crypto'
import type { Config } from './schema.js'

export const LOAD_SHAPE_FIELDS = ['openapi', 'baseUrl', 'profile', 'vus', 'durationMs', 'thinkTimeMs', 'maxVus', 'allowWrites', 'include', 'exclude'] as const
export type LoadShapeFields = Pick<Config, (typeof LOAD_SHAPE_FIELDS)[number]>

/** 16 hex characters of SHA-256 over the load-shaping fields, in a fixed order. */
export function loadShapeHash(config: LoadShapeFields): string {
  const picked = LOAD_SHAPE_FIELDS.map((field) => [field, config[field] ?? null])
  return createHash('sha256').update(JSON.stringify(picked)).digest('hex').slice(0, 16)
}
