import { operationServer, requestUrl, type ServerContext } from '../../src/plan/servers.js'

const spec = ['https://api.example.com/v1']

function fromSpec(allowedHosts: string[] = []): ServerContext {
  return { baseUrl: 'https://api.example.com/v1', baseUrlFromInput: false, specServers: spec, allowedHosts }
}

function retargeted(allowedHosts: string[] = []): ServerContext {
  return { baseUrl: 'http://127.0.0.1:8080/api', baseUrlFromInput: true, specServers: spec, allowedHosts }
}

function urlOf(servers: string[] | undefined, context: ServerContext, path = '/files'): string {
  const fit = operationServer({ servers }, context)
  if (!('base' in fit)) throw new Error(`skipped: ${fit.skip}`)
  return requestUrl(fit.base, context.baseUrl, path)
}

describe('where an operation with servers of its own sends its requests', () => {
  it('an operation without servers uses the base URL', () => {
    expect(urlOf(undefined, retargeted())).toBe('http://127.0.0.1:8080/api/files')
    expect(urlOf([], fromSpec())).toBe('https://api.example.com/v1/files')
  })

  it('a server under the document server keeps its place below the base URL, also when base-url retargets the API', () => {
    expect(urlOf(['https://api.example.com/v1/uploads/'], fromSpec())).toBe('https://api.example.com/v1/uploads/files')
    expect(urlOf(['https://api.example.com/v1/uploads'], retargeted())).toBe('http://127.0.0.1:8080/api/uploads/files')
    expect(urlOf(['https://api.example.com/v1'], retargeted())).toBe('http://127.0.0.1:8080/api/files')
  })

  it('a relative server hangs off the base URL: "/x" off its origin, "x" off the base URL itself', () => {
    expect(urlOf(['/upload/v2'], retargeted())).toBe('http://127.0.0.1:8080/upload/v2/files')
    expect(urlOf(['beta'], retargeted())).toBe('http://127.0.0.1:8080/api/beta/files')
  })

  it("another path on the document's host follows base-url to the new host", () => {
    expect(urlOf(['https://api.example.com/storage'], retargeted())).toBe('http://127.0.0.1:8080/storage/files')
    expect(urlOf(['https://api.example.com/storage'], fromSpec())).toBe('https://api.example.com/storage/files')
  })

  it('another host takes load only when the user allowed it', () => {
    // Aimed at the spec's own servers with no allow-list: the spec says where the API is.
    expect(urlOf(['https://files.example.com'], fromSpec())).toBe('https://files.example.com/files')
    // base-url points at the user's deployment: a host they never named is skipped, saying how to include it.
    const skipped = operationServer({ servers: ['https://files.example.com'] }, retargeted())
    expect(skipped).toEqual({
      skip: expect.stringContaining('served from https://files.example.com (its own servers), not from base-url; list "files.example.com" in allowed-hosts'),
    })
    expect(urlOf(['https://files.example.com'], retargeted(['127.0.0.1', '*.example.com']))).toBe('https://files.example.com/files')
    const notAllowed = operationServer({ servers: ['https://files.example.com'] }, fromSpec(['api.example.com']))
    expect(notAllowed).toEqual({ skip: expect.stringContaining('which is not in allowed-hosts; add "files.example.com"') })
  })

  it('takes the first of several servers that fits', () => {
    expect(urlOf(['https://files.example.com', 'https://api.example.com/v1/files-api'], retargeted())).toBe('http://127.0.0.1:8080/api/files-api/files')
  })

  it("a protocol-relative server is absolute, in the base URL's scheme (Kubernetes: //kubernetes.local)", () => {
    const kubernetes = (baseUrl: string, baseUrlFromInput = true, allowedHosts: string[] = []): ServerContext => ({
      baseUrl,
      baseUrlFromInput,
      specServers: ['//kubernetes.local'],
      allowedHosts,
    })
    // The document's host, named with a scheme on a path item: the operation follows base-url like every other.
    expect(urlOf(['https://kubernetes.local'], kubernetes('http://127.0.0.1:8080/k8s'), '/api/v1/pods')).toBe('http://127.0.0.1:8080/k8s/api/v1/pods')
    expect(urlOf(['http://kubernetes.local/apis'], kubernetes('http://127.0.0.1:8080'), '/batch')).toBe('http://127.0.0.1:8080/apis/batch')
    // An operation's own protocol-relative server on another host is another host: skipped unless allowed.
    const other = operationServer({ servers: ['//metrics.example.net/v1'] }, kubernetes('http://127.0.0.1:8080'))
    expect(other).toEqual({ skip: expect.stringContaining('served from http://metrics.example.net (its own servers), not from base-url') })
    expect(urlOf(['//metrics.example.net/v1'], kubernetes('https://127.0.0.1:8443', true, ['metrics.example.net']))).toBe(
      'https://metrics.example.net/v1/files',
    )
  })

  it('a server that is not http(s) cannot take HTTP load', () => {
    expect(operationServer({ servers: ['ws://api.example.com/stream'] }, retargeted(['api.example.com']))).toEqual({
      skip: 'its server ws://api.example.com/stream is not http(s)',
    })
  })
})
