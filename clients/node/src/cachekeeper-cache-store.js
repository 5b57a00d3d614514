import { PassThrough, Writable } from 'node:stream'
import { BurstLog } from './burst-log.js'
import { CachekeeperApi } from './cachekeeper-api.js'
import { storageKey, storedValue, toEntry, variantId, varyMatches } from './entry-mapping.js'

const DEFAULTS = {
  keyPrefix: 'undici:',
  minTtlSeconds: 1,
  maxTtlSeconds: 24 * 60 * 60,
  timeout: 3000,
  maxEntrySize: 1024 * 1024 * 1024,
  inlineBodyLimit: 256 * 1024,
  lookupLimit: 20,
  writeRetries: 3,
  generations: 16,
  quietMs: 30000
}

/** Failed deletes remembered (a few hundred bytes each) so that their keys' older responses are not served. */
const MAX_FAILED_DELETES = 10_000

/**
 * An undici `CacheStore` on cachekeeper: every process and pod using it shares one HTTP cache. undici's
 * cache interceptor decides what is cacheable and when it is fresh; this store keeps the values.
 *
 * It never throws into a request: a lookup that fails is a miss, a write that fails is dropped, and the
 * failure is logged once per burst.
 */
export class CachekeeperCacheStore {
  #api
  #options
  #log
  /** Writes and deletes still on their way to cachekeeper, by storage key: a lookup of the key waits for them. */
  #inFlight = new Map()
  /** Deletes by storage key, newest last: how many are in flight, and when the last one that failed was called. */
  #deletes = new Map()
  #closed

  /**
   * @param {object} options
   * @param {string} options.baseUrl cachekeeper's address, such as `http://cachekeeper:8080`
   * @param {string} [options.username] a user with the `writer` role
   * @param {string} [options.password]
   * @param {string} [options.keyPrefix] prefix of every cachekeeper key this store writes (`undici:`)
   * @param {number} [options.minTtlSeconds] shortest TTL given to an entry (1)
   * @param {number} [options.maxTtlSeconds] longest TTL given to an entry, whatever the response's `deleteAt` (86,400)
   * @param {number} [options.timeout] milliseconds a call to cachekeeper may take before it counts as a miss (3,000)
   * @param {number} [options.maxEntrySize] largest body stored, in bytes (1 GiB, cachekeeper's own default limit); larger ones are not stored
   * @param {number} [options.inlineBodyLimit] bodies up to this many bytes (256 KiB) travel inside the entry's JSON; larger ones
   *   are streamed to cachekeeper as bytes while undici receives them, and served back as a stream
   * @param {number} [options.lookupLimit] entries under one URL a lookup reads (20: the variants of one URL)
   * @param {number} [options.writeRetries] times a write is retried after another writer of the key got there
   *   first (3), each after reading the key again
   * @param {number} [options.generations] ids a variant may take in turn (16): a soft-deleted entry keeps its id
   *   through its grace period, so a new response of the variant takes the next generation's id
   * @param {{ warn: Function }} [options.logger] where failures are logged (console)
   * @param {number} [options.quietMs] after a failure is logged, further failures are counted, not logged, until
   *   this many milliseconds pass without one (30,000)
   * @param {import('undici').Dispatcher} [options.dispatcher] the dispatcher for calls to cachekeeper (an Agent of its own)
   */
  constructor (options) {
    if (options == null || typeof options !== 'object') {
      throw new TypeError('CachekeeperCacheStore options must be an object')
    }
    if (typeof options.baseUrl !== 'string' || !URL.canParse(options.baseUrl)) {
      throw new TypeError('CachekeeperCacheStore options.baseUrl must be a URL, such as http://cachekeeper:8080')
    }
    const o = { ...DEFAULTS, ...withoutUndefined(options) }
    for (const name of ['minTtlSeconds', 'maxTtlSeconds', 'timeout', 'maxEntrySize', 'inlineBodyLimit', 'lookupLimit',
      'generations', 'quietMs']) {
      if (!Number.isInteger(o[name]) || o[name] < 1) {
        throw new TypeError(`CachekeeperCacheStore options.${name} must be a positive integer`)
      }
    }
    if (!Number.isInteger(o.writeRetries) || o.writeRetries < 0) {
      throw new TypeError('CachekeeperCacheStore options.writeRetries must be an integer of at least 0')
    }
    if (o.minTtlSeconds > o.maxTtlSeconds) {
      throw new TypeError('CachekeeperCacheStore options.minTtlSeconds must not exceed options.maxTtlSeconds')
    }
    if (o.lookupLimit > 1000) {
      throw new TypeError('CachekeeperCacheStore options.lookupLimit must be at most 1000 (one page of cachekeeper)')
    }
    if (typeof o.keyPrefix !== 'string') {
      throw new TypeError('CachekeeperCacheStore options.keyPrefix must be a string')
    }
    this.#options = o
    this.#api = new CachekeeperApi(o)
    this.#log = new BurstLog(o.logger ?? console, o.quietMs)
  }

  /** The stored response for this request, or undefined (also when cachekeeper cannot answer). */
  async get (key) {
    const cacheKey = storageKey(this.#options.keyPrefix, key)
    await this.#writesOf(cacheKey)
    const deleted = this.#deletes.get(cacheKey)
    if (deleted?.pending > 0) {
      return undefined // a delete of the key is still on its way (past the wait): what it deletes is gone
    }
    let entries
    try {
      entries = await this.#api.lookup(cacheKey, { limit: this.#options.lookupLimit })
      this.#log.success()
    } catch (err) {
      this.#log.failure('a lookup', 'served as a cache miss', err)
      return undefined
    }
    // cachekeeper's TTL ends an entry by the database's clock; undici's deleteAt is judged here, by ours.
    const now = Date.now()
    let best
    for (const entry of entries) {
      const value = storedValue(entry)
      if (value && entry.request.method === key.method && value.deleteAt > now &&
          !(deleted?.failedAt >= value.cachedAt) &&
          varyMatches(key.headers, value.vary) && (best === undefined || value.cachedAt >= best.value.cachedAt)) {
        best = { entry, value }
      }
    }
    if (best === undefined) {
      return undefined
    }
    if (best.entry.response.bodySize != null) {
      // Uploaded as bytes: served as a stream from cachekeeper, never held here whole.
      try {
        const stream = await this.#api.bodyStream(best.entry.id, best.entry.version)
        return stream === undefined ? undefined : { ...best.value, body: stream }
      } catch (err) {
        this.#log.failure('a body read', 'served as a cache miss', err)
        return undefined
      }
    }
    const body = best.entry.response.body ? Buffer.from(best.entry.response.body, 'base64') : undefined
    // An array of chunks: undici replays a body it revalidated (304) by iterating it.
    return { ...best.value, body: body ? [body] : [] }
  }

  /**
   * A stream for the response body; when it ends, the response is written to cachekeeper in the background.
   * A body up to `inlineBodyLimit` is collected and sent in the entry's JSON. A larger one is uploaded to
   * cachekeeper as bytes while it arrives (the collected part first): this stream then holds what the upload
   * has not yet sent, and tells undici to pause the origin's response while that is more than a high-water
   * mark, so memory stays bounded whatever the size. Past `maxEntrySize` the upload is abandoned
   * (cachekeeper discards it) and undici goes on serving the response without the store.
   */
  createWriteStream (key, value) {
    if (!(value.deleteAt > Date.now())) {
      return undefined
    }
    const store = this
    const o = this.#options
    const cacheKey = storageKey(o.keyPrefix, key)
    let chunks = []
    let size = 0
    let upload // { stream, id: Promise<string> } once the body is past inlineBodyLimit
    let settle
    const written = new Promise(resolve => { settle = resolve })
    this.#track(cacheKey, written)
    return new Writable({
      write (chunk, encoding, callback) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk
        size += bytes.length
        if (size > o.maxEntrySize) {
          this.destroy() // too large to share
          callback()
          return
        }
        if (upload === undefined) {
          chunks.push(bytes)
          if (size <= o.inlineBodyLimit) {
            callback()
            return
          }
          const stream = new PassThrough()
          upload = { stream, id: store.#api.uploadBody(cacheKey, stream) }
          upload.id.catch(() => {}) // its failure is reported when the entry is written
          for (const c of chunks.slice(0, -1)) {
            stream.write(c)
          }
          chunks = []
        }
        // Back-pressure: the callback waits while the upload has a high-water mark's worth unsent.
        if (upload.stream.write(bytes)) {
          callback()
        } else {
          upload.stream.once('drain', () => callback())
        }
      },
      final (callback) {
        // undici does not wait for the store; neither does the response. A lookup of the key waits instead.
        if (upload === undefined) {
          store.#persist(cacheKey, key, value, { body: Buffer.concat(chunks) }).finally(settle)
        } else {
          upload.stream.end()
          store.#persist(cacheKey, key, value, { bodyId: upload.id }).finally(settle)
        }
        callback()
      },
      destroy (err, callback) {
        // Node destroys a Writable itself once it has finished (autoDestroy): the upload, ended by `final`,
        // may still be sending its last bytes then and must be left to finish. Only an unfinished stream
        // (undici aborted the response, or it grew past maxEntrySize) abandons its upload.
        if (this.writableFinished !== true) {
          upload?.stream.destroy(err ?? new Error('the response was not stored'))
          settle()
        }
        callback(err)
      }
    })
  }

  /**
   * Drops every stored response of the URL (undici calls it after an unsafe method such as POST, and does
   * not wait for it). From the moment it is called, a lookup of the key waits for it, as for a write, and
   * never serves what it deletes: while it is still on its way after the wait, the lookup is a miss; when
   * it failed, the responses cached before it are not served by this store (they stay in cachekeeper
   * until their TTL).
   */
  delete (key) {
    const cacheKey = storageKey(this.#options.keyPrefix, key)
    const before = this.#pendingOf(cacheKey) // writes that started before this delete: it must come after them
    const state = this.#deletes.get(cacheKey) ?? { pending: 0, failedAt: undefined }
    this.#deletes.delete(cacheKey) // re-inserted last: the map's order is the order of deletes, oldest first
    this.#deletes.set(cacheKey, state)
    state.pending++
    const startedAt = Date.now()
    const deleted = (async () => {
      await this.#bounded(before)
      try {
        await this.#api.softDeleteKey(cacheKey)
        this.#log.success()
        state.failedAt = undefined
      } catch (err) {
        this.#log.failure('a delete', 'this store does not serve the stored responses; cachekeeper keeps them until their TTL', err)
        state.failedAt = Math.max(state.failedAt ?? 0, startedAt)
      } finally {
        state.pending--
        this.#settled(cacheKey, state)
      }
    })()
    this.#track(cacheKey, deleted)
    return deleted
  }

  /**
   * Retires every stored response that carries any of the tags, whatever its URL, in cachekeeper (for
   * every process that shares it): the origin names them in `Surrogate-Key` (space-separated) or
   * `Cache-Tag` (comma-separated), which this store keeps. Resolves with how many entries were
   * soft-deleted; unlike a lookup it throws when cachekeeper cannot be reached, since the caller must know.
   */
  async invalidateTags (tags) {
    const list = typeof tags === 'string' ? [tags] : [...(tags ?? [])]
    if (list.length === 0 || !list.every(tag => typeof tag === 'string' && tag.length > 0)) {
      throw new TypeError('invalidateTags takes a tag or an array of tags (non-empty strings)')
    }
    await Promise.all([...this.#inFlight.values()].flatMap(pending => [...pending]))
    return this.#api.softDeleteTags(list)
  }

  /** Waits for the writes in flight (each bounded by the timeout), then closes the connections to cachekeeper. */
  async close () {
    await Promise.all([...this.#inFlight.values()].flatMap(pending => [...pending]))
    this.#closed ??= this.#api.close()
    await this.#closed
  }

  /** `content`: `{ body }` (a Buffer, sent in the JSON) or `{ bodyId }` (a promise of an upload's id). */
  async #persist (cacheKey, key, value, content) {
    try {
      const body = content.bodyId === undefined ? content : { bodyId: await content.bodyId }
      if (await this.#write(cacheKey, key, value, body)) {
        this.#log.success()
      }
    } catch (err) {
      this.#log.failure('a write', 'the response is not stored', err)
    }
  }

  /**
   * One live entry per variant: the first generation's id of the variant that is not held by a
   * soft-deleted entry is created, or replaced with `If-Match` on the version just read. A concurrent
   * writer makes the create answer 409 or the replace 412; then the key is read again and the write retried.
   * Entries of the same request under another `Vary` (the origin changed it) are soft-deleted afterwards.
   */
  async #write (cacheKey, key, value, content) {
    const o = this.#options
    const ttlSeconds = Math.min(o.maxTtlSeconds, Math.max(o.minTtlSeconds, Math.ceil((value.deleteAt - Date.now()) / 1000)))
    for (let attempt = 0; attempt <= o.writeRetries; attempt++) {
      // Every variant the key holds, in any state (a deleted one still holds its id), however many pages.
      const existing = await this.#api.lookup(cacheKey, {
        limit: 1000, includeBody: false, includeDeleted: true, includeExpired: true, allPages: true
      })
      const byId = new Map(existing.map(e => [e.id, e]))
      let target
      for (let generation = 0; generation < o.generations && target === undefined; generation++) {
        const id = variantId(cacheKey, key.method, value.vary, generation)
        const current = byId.get(id)
        if (current === undefined || current.state === 'live' || current.state === 'expired') {
          target = { id, current }
        }
      }
      if (target === undefined) {
        throw new Error(`every generation of the variant's id is held by a deleted entry under ${cacheKey}`)
      }
      const entry = toEntry({ id: target.id, cacheKey, key, value, ...content, ttlSeconds })
      const done = target.current === undefined
        ? (await this.#api.create(entry)).created
        : (await this.#api.replace(target.id, target.current.version, entry)).replaced
      if (done) {
        await this.#supersede(existing, target.id, key)
        return true
      }
      // Another writer got there first: let the writers spread out before reading the key again.
      await new Promise(resolve => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)))
    }
    throw new Error(`${o.writeRetries + 1} concurrent writes in a row under ${cacheKey}; this one is dropped`)
  }

  async #supersede (existing, keptId, key) {
    for (const e of existing) {
      const value = storedValue(e)
      if (e.id !== keptId && e.state === 'live' && value && e.request.method === key.method &&
          varyMatches(key.headers, value.vary)) {
        await this.#api.softDelete(e.id, e.version)
      }
    }
  }

  #track (cacheKey, written) {
    let pending = this.#inFlight.get(cacheKey)
    if (pending === undefined) {
      pending = new Set()
      this.#inFlight.set(cacheKey, pending)
    }
    pending.add(written)
    written.then(() => {
      pending.delete(written)
      if (pending.size === 0 && this.#inFlight.get(cacheKey) === pending) {
        this.#inFlight.delete(cacheKey)
      }
    })
  }

  /** Waits for the writes and deletes of a key in flight, at most one timeout (each is bounded by its own calls). */
  async #writesOf (cacheKey) {
    await this.#bounded(this.#pendingOf(cacheKey))
  }

  #pendingOf (cacheKey) {
    return [...(this.#inFlight.get(cacheKey) ?? [])]
  }

  async #bounded (pending) {
    if (pending.length === 0) {
      return
    }
    let timer
    await Promise.race([
      Promise.all(pending),
      new Promise(resolve => { timer = setTimeout(resolve, this.#options.timeout) })
    ])
    clearTimeout(timer)
  }

  /** Forgets a key's settled delete that succeeded; of the failed ones, keeps the newest MAX_FAILED_DELETES. */
  #settled (cacheKey, state) {
    if (state.pending === 0 && state.failedAt === undefined && this.#deletes.get(cacheKey) === state) {
      this.#deletes.delete(cacheKey)
    }
    for (const [oldest, s] of this.#deletes) {
      if (this.#deletes.size <= MAX_FAILED_DELETES) {
        break
      }
      if (s.pending === 0) {
        this.#deletes.delete(oldest)
      }
    }
  }
}

function withoutUndefined (object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined))
}
