/** What the plan holds for each endpoint: its request, resolved SLO, category, server and values (src/plan/plan.ts builds it). */
import type { SloLimits } from '../slo-config.js'
import type { EndpointCategory } from '../results/schema.js'
import type { Endpoint } from '../spec/model.js'
import type { RequestSample } from '../spec/request.js'
import type { RequestBase } from './servers.js'
import type { PlannedValue } from './values.js'

export interface LimitSource {
  selector: string
  line?: number
}

export interface ResolvedSlo {
  limits: SloLimits
  sources: Partial<Record<keyof SloLimits, LimitSource>>
}

export interface PlannedEndpoint {
  endpoint: Endpoint
  /** The k6 `name` tag: the endpoint key, made safe for k6 threshold expressions. */
  metricName: string
  request: RequestSample
  slo: ResolvedSlo
  /** Whether the configured auth is sent with this endpoint's requests. */
  authenticated: boolean
  /** The user's weight (the config's `weights:`, default 1): its share of its category's iterations. */
  weight: number
  /** Its category: which scenario runs it (src/plan/category-scenarios.ts). */
  category: EndpointCategory
  /** Where its requests go: the base URL, the base URL's origin, or a server of its own, + the path. */
  server: RequestBase
  /** Parameter values the spec does not give: harvested in setup() or invented (src/plan/values.ts); only when there are some. */
  values?: PlannedValue[]
}

export interface SkippedEndpoint {
  key: string
  reason: string
}
