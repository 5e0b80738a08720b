/**
 * Where k6 runs: `runner` (input or config file) and the `cloud:` block of the config file (the
 * test's name in Grafana Cloud k6, its project, the load zones' shares, the longest wait for
 * Grafana's results). A config section: leaves only. What each runner measures where: docs/cloud.md.
 */
import { z } from 'zod'
import { durationMs } from '../duration.js'

/** local: k6 on this runner; cloud: `k6 cloud run` on Grafana's load zones; cloud-local: k6 here, streamed to Grafana Cloud k6. */
export const RUNNERS = ['local', 'cloud', 'cloud-local'] as const
export type Runner = (typeof RUNNERS)[number]

/** The environment variables the cloud runners read (k6's own names). */
export const CLOUD_ENV = {
  token: 'K6_CLOUD_TOKEN',
  projectId: 'K6_CLOUD_PROJECT_ID',
  stackId: 'K6_CLOUD_STACK_ID',
  host: 'K6_CLOUD_HOST',
} as const

export const CLOUD_DEFAULTS = {
  /** After k6 exits: the longest wait for Grafana to finish processing the run's metrics. */
  waitMs: 10 * 60_000,
  /** The longest wait accepted in the config. */
  maxWaitMs: 2 * 3_600_000,
} as const

const positiveId = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/, { message: 'expected a positive whole number' })])

export const CloudConfigShape = {
  runner: z.enum(RUNNERS).optional(),
  cloud: z
    .strictObject({
      /** The test's name in Grafana Cloud k6; default the API's title. */
      name: z.string().min(1).max(200).optional(),
      /** The Grafana Cloud k6 project the run belongs to; else K6_CLOUD_PROJECT_ID. */
      'project-id': positiveId.optional(),
      /** Load zones and the percentage of VUs each runs (runner: cloud), summing to 100. */
      'load-zones': z
        .record(
          z.string().regex(/^[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]+$/, { message: 'expected a load zone such as amazon:us:ashburn' }),
          z.number().int().min(1).max(100),
        )
        .optional(),
      /** Longest wait, after k6 exits, for Grafana to complete the run (default 10m). */
      wait: durationMs('cloud.wait', {
        maxMs: CLOUD_DEFAULTS.maxWaitMs,
        message: (ms) => `cloud.wait: ${Math.round(ms / 60_000)} minutes is above the limit of ${CLOUD_DEFAULTS.maxWaitMs / 60_000} minutes`,
      }).optional(),
    })
    .optional(),
}
export type CloudFileConfig = NonNullable<z.infer<(typeof CloudConfigShape)['cloud']>>

export interface LoadZoneShare {
  zone: string
  percent: number
}

/** The resolved settings: absent values are left to k6 and the environment. */
export interface CloudSettings {
  runner: Runner
  name?: string
  projectId?: number
  loadZones: LoadZoneShare[]
  waitMs: number
}

/**
 * The runner and the cloud block resolved, every problem added to `problems`. A cloud runner needs
 * a token and a project (config or environment), and `cloud` a stack too (Grafana's API is scoped
 * by it): missing ones are named here, before any load.
 */
export function resolveCloudSettings(
  input: { runner?: string },
  file: { runner?: Runner; cloud?: CloudFileConfig },
  /** The job's environment; undefined where nothing will run (plan mode): credentials are not checked. */
  env: Readonly<Record<string, string | undefined>> | undefined,
  problems: string[],
): CloudSettings {
  let runner: Runner = file.runner ?? 'local'
  if (input.runner !== undefined) {
    if ((RUNNERS as readonly string[]).includes(input.runner)) runner = input.runner as Runner
    else problems.push(`input runner: ${JSON.stringify(input.runner)} is not one of ${RUNNERS.join(', ')}`)
  }
  const cloud = file.cloud ?? {}
  const loadZones = Object.entries(cloud['load-zones'] ?? {}).map(([zone, percent]) => ({ zone, percent }))
  const sum = loadZones.reduce((total, z) => total + z.percent, 0)
  if (loadZones.length > 0 && sum !== 100) problems.push(`cloud.load-zones: the percentages add up to ${sum}, not 100`)
  const projectId = cloud['project-id'] === undefined ? undefined : Number(cloud['project-id'])
  const settings: CloudSettings = {
    runner,
    ...(cloud.name ? { name: cloud.name } : {}),
    ...(projectId === undefined ? {} : { projectId }),
    loadZones,
    waitMs: cloud.wait ?? CLOUD_DEFAULTS.waitMs,
  }
  if (runner === 'local') {
    if (file.cloud) problems.push('cloud: set, but runner is local; set runner: cloud or cloud-local to use Grafana Cloud k6')
    return settings
  }
  if (runner === 'cloud-local' && loadZones.length > 0) problems.push('cloud.load-zones: apply to runner: cloud only (cloud-local runs k6 on this runner)')
  if (env === undefined) return settings
  if (!env[CLOUD_ENV.token])
    problems.push(`runner ${runner}: ${CLOUD_ENV.token} is not set; pass a Grafana Cloud k6 token from a repository secret in the step's env`)
  if (projectId === undefined && !env[CLOUD_ENV.projectId])
    problems.push(`runner ${runner}: no project; set cloud.project-id in the config file or ${CLOUD_ENV.projectId} in the step's env`)
  else if (projectId === undefined && !/^[1-9]\d*$/.test(env[CLOUD_ENV.projectId]!.trim()))
    problems.push(`runner ${runner}: ${CLOUD_ENV.projectId} is not a project id (a positive whole number)`)
  const stackId = env[CLOUD_ENV.stackId]
  if (runner === 'cloud' && !stackId) problems.push(`runner cloud: ${CLOUD_ENV.stackId} is not set; Grafana's API needs the stack id to read the run's results`)
  else if (stackId && !/^[1-9]\d*$/.test(stackId.trim())) problems.push(`runner ${runner}: ${CLOUD_ENV.stackId} is not a stack id (a positive whole number)`)
  return settings
}

/** k6 lets K6_CLOUD_PROJECT_ID win over options.cloud: the config file's project is passed the same way, so it wins over the job's. */
export function cloudEnvOverrides(settings: CloudSettings): Record<string, string> {
  return settings.runner !== 'local' && settings.projectId !== undefined ? { [CLOUD_ENV.projectId]: String(settings.projectId) } : {}
}

/** The script's `options.cloud` (k6's names): name, projectID and the load zones' distribution. */
export function cloudScriptOptions(settings: CloudSettings, defaultName: string): Record<string, unknown> | undefined {
  if (settings.runner === 'local') return undefined
  return {
    name: settings.name ?? defaultName,
    ...(settings.projectId === undefined ? {} : { projectID: settings.projectId }),
    ...(settings.runner === 'cloud' && settings.loadZones.length > 0
      ? { distribution: Object.fromEntries(settings.loadZones.map((z) => [z.zone, { loadZone: z.zone, percent: z.percent }])) }
      : {}),
  }
}
