import { Agent, request } from 'undici'

/** A call cachekeeper could not answer usefully: unreachable, too slow, or a 5xx/401/403/413 answer. */
export class CachekeeperUnavailable extends Error {
  constructor (message, options) {
    super(message, options)
    this.name = 'CachekeeperUnavailable'
  }
}

/**
 * The few calls of cachekeeper's entries API the store makes. Calls go through a dispatcher of their own,
 * never the global one: a global dispatcher that carries the cache interceptor would otherwise route the
 * store's own calls back into the store.
 */
export class CachekeeperApi {
  #base
  #authorization
  #timeout
  #dispatcher
  #ownsDispatcher

  constructor ({ baseUrl, username, password, timeout, dispatcher }) {
    this.#base = new URL(baseUrl)
    this.#authorization = username == null
      ? undefined
      : 'Basic ' + Buffer.from(`${username}:${password ?? ''}`).toString('base64')
    this.#timeout = timeout
    this.#ownsDispatcher = dispatcher == null
    this.#dispatcher = dispatcher ?? new Agent({
      connect: { timeout },
      headersTimeout: timeout,
      bodyTimeout: timeout
    })
  }

  /**
   * Entries under a key, oldest first: the live ones, and the soft-deleted and expired ones when asked. One
   * page of at most `limit`, or with `allPages` every page, following cachekeeper's `Link: <…>; rel="next"`.
   */
  async lookup (cacheKey, { limit, includeBody = true, includeDeleted = false, includeExpired = false, allPages = false }) {
    const query = new URLSearchParams({ key: cacheKey, limit: String(limit), includeBody: String(includeBody) })
    if (includeDeleted) {
      query.set('includeDeleted', 'true')
    }
    if (includeExpired) {
      query.set('includeExpired', 'true')
    }
    const entries = []
    for (let path = `/entries?${query}`; path !== undefined;) {
      const { status, body, headers } = await this.#call('GET', path)
      entries.push(...expect(status, body, [200]))
      path = allPages ? nextPage(headers.link) : undefined
    }
    return entries
  }

  /** Creates the entry; answers `{ created: false }` when its id is taken. */
  async create (entry) {
    const { status, body } = await this.#call('POST', '/entries', entry)
    if (status === 409) {
      return { created: false }
    }
    expect(status, body, [201])
    return { created: true }
  }

  /** Replaces the entry if it is still at `version`; answers `{ replaced: false }` when it is not (412), gone (404) or deleted (409). */
  async replace (id, version, entry) {
    const { status, body } = await this.#call('PUT', `/entries/${id}`, entry, { 'if-match': `"${version}"` })
    if (status === 412 || status === 404 || status === 409) {
      return { replaced: false }
    }
    expect(status, body, [200])
    return { replaced: true }
  }

  /**
   * Uploads a response body as bytes (`POST /bodies`), streamed from `readable` as it comes: the call takes
   * as long as the body does, so only the wait for the answer once the body is sent is bounded by the
   * timeout. Answers the body's id, for `response.bodyId`.
   */
  async uploadBody (cacheKey, readable) {
    const path = `/bodies?${new URLSearchParams({ key: cacheKey })}`
    const answered = new AbortController()
    let timer
    readable.once('end', () => { timer = setTimeout(() => answered.abort(new Error('no answer within the timeout')), this.#timeout) })
    try {
      const response = await request(new URL(path, this.#base), {
        method: 'POST',
        headers: { ...this.#headers(), 'content-type': 'application/octet-stream' },
        body: readable,
        dispatcher: this.#dispatcher,
        headersTimeout: 0,
        signal: answered.signal
      })
      const text = await response.body.text()
      return expect(response.statusCode, text ? JSON.parse(text) : undefined, [201]).id
    } catch (err) {
      if (err instanceof CachekeeperUnavailable) {
        throw err
      }
      throw new CachekeeperUnavailable(`POST /bodies: ${err.message}`, { cause: err })
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * The body of entry `id` as a stream (`GET /entries/{id}/body`), if the entry is still at `version`;
   * undefined when it is gone or was written since (its body may be another one then). The answer's head
   * is bounded by the timeout; the body by the timeout between two of its chunks.
   */
  async bodyStream (id, version) {
    const headed = new AbortController()
    const timer = setTimeout(() => headed.abort(new Error('no answer within the timeout')), this.#timeout)
    let response
    try {
      response = await request(new URL(`/entries/${id}/body`, this.#base), {
        method: 'GET',
        headers: { ...this.#headers(), accept: 'application/octet-stream' },
        dispatcher: this.#dispatcher,
        signal: headed.signal
      })
    } catch (err) {
      throw new CachekeeperUnavailable(`GET /entries/{id}/body: ${err.message}`, { cause: err })
    } finally {
      clearTimeout(timer)
    }
    if (response.statusCode === 200 && response.headers.etag === `"${version}"`) {
      return response.body
    }
    const text = await response.body.text()
    if (response.statusCode === 404 || response.statusCode === 200) {
      return undefined
    }
    return expect(response.statusCode, text.startsWith('{') ? JSON.parse(text) : undefined, [200])
  }

  /** Soft-deletes one entry if it is still at `version`. */
  async softDelete (id, version) {
    const { status, body } = await this.#call('DELETE', `/entries/${id}`, undefined, { 'if-match': `"${version}"` })
    expect(status, body, [200, 404, 412])
  }

  /** Soft-deletes every live entry under a key. */
  async softDeleteKey (cacheKey) {
    const { status, body } = await this.#call('DELETE', `/entries?${new URLSearchParams({ key: cacheKey })}`)
    expect(status, body, [200])
  }

  /** Soft-deletes every live entry carrying any of the tags; answers how many. */
  async softDeleteTags (tags) {
    const query = new URLSearchParams(tags.map(tag => ['tag', tag]))
    const { status, body } = await this.#call('DELETE', `/entries?${query}`)
    return expect(status, body, [200]).deleted
  }

  close () {
    return this.#ownsDispatcher ? this.#dispatcher.close() : Promise.resolve()
  }

  #headers () {
    return this.#authorization ? { authorization: this.#authorization } : {}
  }

  async #call (method, path, json, extraHeaders) {
    const headers = { accept: 'application/json', ...this.#headers(), ...extraHeaders }
    let payload
    if (json !== undefined) {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(json)
    }
    try {
      const response = await request(new URL(path, this.#base), {
        method,
        headers,
        body: payload,
        dispatcher: this.#dispatcher,
        signal: AbortSignal.timeout(this.#timeout)
      })
      const text = await response.body.text()
      return { status: response.statusCode, body: text.length > 0 ? JSON.parse(text) : undefined, headers: response.headers }
    } catch (err) {
      throw new CachekeeperUnavailable(`${method} ${path.split('?')[0]}: ${err.message}`, { cause: err })
    }
  }
}

function expect (status, body, accepted) {
  if (!accepted.includes(status)) {
    const detail = body?.detail ?? body?.title ?? ''
    throw new CachekeeperUnavailable(`cachekeeper answered ${status}${detail ? ': ' + detail : ''}`)
  }
  return body
}

/** The path and query of the `rel="next"` link in a `Link` header, or undefined. */
function nextPage (link) {
  const next = typeof link === 'string' ? /<([^>]*)>\s*;\s*rel="next"/.exec(link) : null
  if (next === null) {
    return undefined
  }
  const url = new URL(next[1], 'http://cachekeeper.invalid')
  return url.pathname + url.search
}
