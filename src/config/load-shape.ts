/**
 * The load shape of a run: the settings that decide whether two runs can be compared. A smoke run
 * is no baseline for a load run, nor a run of one endpoint for a run of all of them, nor a run
 * whose categories share the VUs or pause differently. SLOs, auth and the reporting settings are
 * not part of it: tightening an SLO keeps the history.
 */
import { createHash } from 'node:crypto'
import { ENDPOINT_CATEGORIES } from '../results/schema.js'
import type { Config } from './schema.js'

export const LOAD_SHAPE_FIELDS = ['openapi', 'baseUrl', 'profile', 'vus', 'durationMs', 'thinkTimeMs', 'maxVus', 'allowWrites', 'include', 'exclude'] as const
export type LoadShapeFields = Pick<Config, (typeof LOAD_SHAPE_FIELDS)[number]> & Partial<Pick<Config, 'categories' | 'cloud'>>

const LOAD_MODEL_VERSION = 2

/** Per category, the settings of the `categories:` block that change the load its scenario runs. */
const CATEGORY_LOAD_SETTINGS = ['endpoints', 'vus', 'think-time'] as const

/**
 * 16 hex characters of SHA-256 over the load-shaping fields, in a fixed order. The categories
 * block counts by what moves the load (which endpoints each category runs, detection on or off,
 * its VUs per endpoint and think time), and only when it sets any of that.
 *
 * LOAD_MODEL_VERSION changes when the same config starts producing other load (version 2: each
 * category runs as its own scenario with its VUs and think time), so earlier runs stop counting
 * as baselines instead of showing the change of model as a regression.
 */
export function loadShapeHash(config: LoadShapeFields): string {
  const value = (field: (typeof LOAD_SHAPE_FIELDS)[number]): unknown =>
    field === 'baseUrl' && config.baseUrl !== undefined ? targetIdentity(config.baseUrl) : config[field]
  const picked: Array<[string, unknown]> = [
    ['load-model', LOAD_MODEL_VERSION],
    ...LOAD_SHAPE_FIELDS.map((field): [string, unknown] => [field, value(field) ?? null]),
  ]
  const categories = categoryLoadShape(config.categories)
  if (categories) picked.push(['categories', categories])
  // Load from Grafana's zones, measured by Grafana's histograms, is no baseline for load from this runner (nor the reverse);
  // cloud-local measures here like a local run. Local and cloud-local shapes are as before.
  if (config.cloud?.runner === 'cloud') picked.push(['runner', ['cloud', config.cloud.loadZones.map((z) => [z.zone, z.percent])]])
  return createHash('sha256').update(JSON.stringify(picked)).digest('hex').slice(0, 16)
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * What identifies the target. Another host is another API: compared never. A loopback host is
 * the API the job started on its own machine, whose port is often the operating system's choice
 * (port 0, a container's published port): it is identified by its spec and base path, and runs
 * on another port stay comparable. Every other URL counts as written.
 */
export function targetIdentity(baseUrl: string): string {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return baseUrl
  }
  if (!LOOPBACK_HOST.test(url.hostname)) return baseUrl
  return `${url.protocol}//loopback${url.pathname.replace(/\/+$/, '')}`
}

function categoryLoadShape(categories: Config['categories']): Array<[string, unknown]> | undefined {
  if (!categories) return undefined
  const picked: Array<[string, unknown]> = []
  if (categories.detect !== undefined) picked.push(['detect', categories.detect])
  for (const category of ENDPOINT_CATEGORIES) {
    const settings = categories[category]
    for (const setting of CATEGORY_LOAD_SETTINGS) {
      if (settings?.[setting] !== undefined) picked.push([`${category}.${setting}`, settings[setting]])
    }
  }
  return picked.length > 0 ? picked : undefined
}
