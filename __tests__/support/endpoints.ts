/** Endpoints for tests of the planning stage, written as "METHOD /path" plus what a case needs. */
import type { Endpoint, HttpMethod } from '../../src/spec/model.js'

export type EndpointInput = Partial<Omit<Endpoint, 'key' | 'method' | 'path'>> & { op: string }

/** "GET /users/{id}" plus whatever else the case needs. */
export function endpoint({ op, ...rest }: EndpointInput): Endpoint {
  const [method, path] = op.split(' ') as [HttpMethod, string]
  return { key: op, method, path, tags: [], deprecated: false, parameters: [], successStatuses: [200], security: [], ...rest }
}
