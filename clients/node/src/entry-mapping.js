import { createHash } from 'node:crypto'

/** The longest `cacheKey` and `request.url` cachekeeper takes (characters). */
export const MAX_KEY_LENGTH = 8192

/** Marks the metadata this package writes; a reader skips entries of another shape. */
const FORMAT = 'undici-cache-value/1'

/**
 * The cachekeeper key of an undici cache key: prefix + origin + path. Every method and every `Vary`
 * variant of one URL lives under it, as in undici's own stores, so `DELETE /entries?key=` drops them
 * together. A key over 8,192 characters goes by the SHA-256 of origin + path.
 */
export function storageKey (prefix, key) {
  const plain = prefix + key.origin + key.path
  if (plain.length <= MAX_KEY_LENGTH) {
    return plain
  }
  return prefix + 'sha256:' + createHash('sha256').update(key.origin + key.path).digest('hex')
}

/**
 * The entry id of one variant (storage key, method, the request header values the response varies on) in
 * one generation. Writers of the same variant compute the same id, so two of them writing at once collide
 * on the id (409) instead of leaving two live copies. A generation moves on only when the id before it is
 * taken by a soft-deleted entry: a new response never brings a deleted one back to life.
 */
export function variantId (storageKey, method, vary, generation) {
  const hash = createHash('sha256')
    .update(JSON.stringify([storageKey, method, canonicalVary(vary), generation]))
    .digest()
  hash[6] = (hash[6] & 0x0f) | 0x80 // version 8: a name-based UUID of our own hashing (RFC 9562)
  hash[8] = (hash[8] & 0x3f) | 0x80 // the RFC variant
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function canonicalVary (vary) {
  if (vary == null) {
    return null
  }
  return Object.keys(vary).sort().map(name => [name, vary[name]])
}

/**
 * The cachekeeper entry for an undici cache value. The readable fields (`request.method`, `request.url`,
 * the varied request headers, `response.status`, `response.headers` as lists) let the API, the recycle
 * bin and `DELETE /entries?urlPrefix=` work on it; `metadata.undici` keeps what has no field of its own
 * (status message, which headers were single values, `vary` with its nulls, the validators and times), so
 * the value comes back exactly as undici stored it. A large body is not in the entry: it was uploaded as
 * bytes (`POST /bodies`) and the entry names it (`bodyId`).
 */
export function toEntry ({ id, cacheKey, key, value, body, bodyId, ttlSeconds }) {
  const headers = {}
  const single = []
  for (const [name, v] of Object.entries(value.headers ?? {})) {
    if (Array.isArray(v)) {
      headers[name] = v.map(String)
    } else {
      headers[name] = [String(v)]
      single.push(name)
    }
  }
  const requestHeaders = {}
  for (const [name, v] of Object.entries(value.vary ?? {})) {
    if (v != null) {
      requestHeaders[name] = Array.isArray(v) ? v : [v]
    }
  }
  const entry = {
    id,
    cacheKey,
    request: { method: key.method, url: (key.origin + key.path).slice(0, MAX_KEY_LENGTH), headers: requestHeaders },
    response: { status: value.statusCode, headers },
    metadata: {
      undici: {
        format: FORMAT,
        statusMessage: value.statusMessage ?? '',
        singleValued: single,
        vary: value.vary ?? null,
        etag: value.etag ?? null,
        cacheControlDirectives: value.cacheControlDirectives ?? null,
        cachedAt: value.cachedAt,
        staleAt: value.staleAt,
        deleteAt: value.deleteAt
      }
    },
    ttlSeconds
  }
  if (bodyId !== undefined) {
    entry.response.bodyId = bodyId // uploaded as bytes (POST /bodies)
  } else if (body.length > 0) {
    entry.response.body = body.toString('base64')
  }
  return entry
}

/** The stored value of an entry this package wrote, or undefined for an entry of another shape. */
export function storedValue (entry) {
  const m = entry?.metadata?.undici
  if (m?.format !== FORMAT) {
    return undefined
  }
  const single = new Set(m.singleValued)
  const headers = {}
  for (const [name, values] of Object.entries(entry.response.headers ?? {})) {
    headers[name] = single.has(name) ? values[0] : values
  }
  const value = {
    statusCode: entry.response.status,
    statusMessage: m.statusMessage,
    headers,
    cacheControlDirectives: m.cacheControlDirectives ?? {},
    cachedAt: m.cachedAt,
    staleAt: m.staleAt,
    deleteAt: m.deleteAt
  }
  if (m.vary != null) {
    value.vary = m.vary
  }
  if (m.etag != null) {
    value.etag = m.etag
  }
  return value
}

/** Whether an entry stored for `vary` answers a request with these headers (undici's own rule). */
export function varyMatches (requestHeaders, vary) {
  if (vary == null) {
    return true
  }
  for (const name of Object.keys(vary)) {
    if (!headerValueEquals(requestHeaders?.[name], vary[name])) {
      return false
    }
  }
  return true
}

function headerValueEquals (a, b) {
  if (a == null || b == null) {
    return a == null && b == null
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => v === b[i])
  }
  return a === b
}
