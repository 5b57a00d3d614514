import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import net from 'node:net'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { Agent, interceptors, request } from 'undici'
import { CachekeeperCacheStore, storageKey } from '../src/index.js'
import { CachekeeperApi } from '../src/cachekeeper-api.js'
import { startService } from './support/service.js'
import { startOrigin } from './support/origin.js'

const run = promisify(execFile)
const fetchOnce = fileURLToPath(new URL('./support/fetch-once.js', import.meta.url))
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** The first truthy answer of `probe`, polled for up to five seconds. */
async function eventually (probe) {
  for (let deadline = Date.now() + 5000; ; await sleep(50)) {
    const answer = await probe()
    if (answer || Date.now() > deadline) {
      assert.ok(answer, 'not within 5 s')
      return answer
    }
  }
}

describe('CachekeeperCacheStore on the real service', () => {
  let service
  let origin
  const stores = []
  /** What the stores made by newStore logged (also printed), so that an assertion on a write can say why it is missing. */
  const warnings = []
  const logger = { warn: message => { warnings.push(message); console.warn(message) } }

  before(async () => {
    service = await startService()
    origin = await startOrigin()
  })

  after(async () => {
    try {
      await Promise.all(stores.map(s => s.close()))
      await origin?.close()
    } finally {
      await service?.stop()
    }
  })

  function newStore (options = {}) {
    const store = new CachekeeperCacheStore({ baseUrl: service.baseUrl, username: 'writer', password: service.password, logger, ...options })
    stores.push(store)
    return store
  }

  /** One request through undici's cache interceptor on `store`. */
  async function cachedRequest (store, path, { method = 'GET', headers = {} } = {}) {
    const agent = new Agent().compose(interceptors.cache({ store }))
    try {
      const response = await request(origin.url + path, { dispatcher: agent, method, headers })
      return { status: response.statusCode, headers: response.headers, body: await response.body.text() }
    } finally {
      await agent.close()
    }
  }

  /** The entries cachekeeper holds for a path of the origin, in any state. */
  async function entriesOf (path, prefix = 'undici:') {
    const key = storageKey(prefix, { origin: origin.url, path })
    const { status, body } = await service.api('admin', 'GET',
      `/entries?${new URLSearchParams({ key, includeDeleted: 'true', includeExpired: 'true', includeBody: 'false' })}`)
    assert.equal(status, 200)
    return body
  }

  const live = entries => entries.filter(e => e.state === 'live')

  test('a response cached by one process is served to a second process without reaching the origin', async () => {
    origin.route('/shared', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300', 'content-type': 'text/plain' }, body: 'shared body' }))
    const first = JSON.parse((await run(process.execPath, [fetchOnce, service.baseUrl, service.password, origin.url + '/shared'])).stdout)
    const second = JSON.parse((await run(process.execPath, [fetchOnce, service.baseUrl, service.password, origin.url + '/shared'])).stdout)
    assert.equal(first.body, 'shared body')
    assert.equal(second.status, 200)
    assert.equal(second.body, 'shared body')
    assert.equal(origin.hits('/shared'), 1)
    const entries = await entriesOf('/shared')
    assert.equal(entries.length, 1)
    assert.equal(entries[0].request.method, 'GET')
    assert.equal(entries[0].request.url, origin.url + '/shared')
    assert.deepEqual(entries[0].response.headers['content-type'], ['text/plain'])
  })

  test('everything undici stores comes back exactly, and a lookup right after a write sees it', async () => {
    const store = newStore()
    const now = Date.now()
    const key = { origin: 'https://exact.example', method: 'GET', path: '/x?y=1', headers: { 'accept-language': 'en' } }
    const value = {
      statusCode: 203,
      statusMessage: 'Non-Authoritative Information',
      headers: { 'content-type': 'application/octet-stream', 'x-list': ['a', 'b'], 'x-one-list': ['only'], 'x-empty': '' },
      vary: { 'accept-language': 'en', 'x-absent': null },
      etag: '"v1"',
      cacheControlDirectives: { 'max-age': 60, public: true, 'no-cache': ['x-list'] },
      cachedAt: now,
      staleAt: now + 60_000,
      deleteAt: now + 120_000
    }
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const stream = store.createWriteStream(key, value)
    stream.write(bytes.subarray(0, 100))
    stream.end(bytes.subarray(100))
    const got = await store.get(key)
    assert.ok(got, 'the write just made is found')
    const { body, ...rest } = got
    assert.deepEqual(rest, value)
    assert.deepEqual(Buffer.concat(body), bytes)
    assert.equal(await store.get({ ...key, headers: { 'accept-language': 'de' } }), undefined, 'another variant')
    assert.equal(await store.get({ ...key, method: 'HEAD' }), undefined, 'another method')
  })

  test('an entry is not served after its deleteAt by the client clock, though cachekeeper still holds it', async () => {
    const store = newStore({ minTtlSeconds: 60 })
    const now = Date.now()
    const key = { origin: origin.url, method: 'GET', path: '/short-lived' }
    const stream = store.createWriteStream(key, { statusCode: 200, statusMessage: 'OK', headers: {}, cachedAt: now, staleAt: now + 500, deleteAt: now + 1500 })
    stream.end('short')
    assert.ok(await store.get(key), 'served before deleteAt')
    await sleep(1600)
    assert.equal(await store.get(key), undefined)
    assert.equal(live(await entriesOf('/short-lived')).length, 1, 'the TTL in cachekeeper is the longer minTtlSeconds')
  })

  test('a 304 revalidation updates the stored entry in place', async () => {
    // undici revalidates in the background while it serves the stale answer (stale-while-revalidate);
    // the 304's headers and the stored body are written back under the same entry.
    origin.route('/revalidate', req => req.headers['if-none-match'] === '"r1"'
      ? { status: 304, headers: { etag: '"r1"', 'cache-control': 'public, max-age=300', 'x-rev': '2' } }
      : { status: 200, headers: { etag: '"r1"', 'cache-control': 'public, max-age=1, stale-while-revalidate=300', 'x-rev': '1' }, body: 'revalidated body' })
    const store = newStore()
    assert.equal((await cachedRequest(store, '/revalidate')).headers['x-rev'], '1')
    await store.close()
    // close() waits for the writes in flight; should one still be missing (CI saw it once, unexplained), the
    // wait and the message say whether it came late or failed, and why.
    const stored = await eventually(async () => (await entriesOf('/revalidate'))[0]).catch(err => {
      assert.fail(`the first answer is not stored (${err.message}); the stores logged: ${JSON.stringify(warnings)}`)
    })
    await sleep(1200)
    const stale = await cachedRequest(newStore(), '/revalidate')
    assert.equal(stale.body, 'revalidated body')
    assert.equal(stale.headers['x-rev'], '1', 'served stale while revalidating')
    const updated = await eventually(async () => {
      const entries = await entriesOf('/revalidate')
      return entries.length === 1 && entries[0].version === stored.version + 1 ? entries[0] : undefined
    })
    assert.equal(updated.id, stored.id)
    assert.deepEqual(updated.response.headers['x-rev'], ['2'])
    assert.equal(origin.hits('/revalidate'), 2, 'the first answer and the 304')
    const fresh = await cachedRequest(newStore(), '/revalidate')
    assert.equal(fresh.body, 'revalidated body')
    assert.equal(fresh.headers['x-rev'], '2')
    assert.equal(origin.hits('/revalidate'), 2, 'served from cachekeeper after the revalidation')
  })

  test('Vary: Accept-Language variants are kept apart', async () => {
    origin.route('/greeting', req => ({
      status: 200,
      headers: { vary: 'Accept-Language', 'cache-control': 'public, max-age=300' },
      body: `hello in ${req.headers['accept-language']}`
    }))
    const store = newStore()
    for (const lang of ['en', 'de', 'en', 'de']) {
      const response = await cachedRequest(store, '/greeting', { headers: { 'accept-language': lang } })
      assert.equal(response.body, `hello in ${lang}`)
    }
    assert.equal(origin.hits('/greeting'), 2)
    const entries = live(await entriesOf('/greeting'))
    assert.deepEqual(entries.map(e => e.request.headers['accept-language'][0]).sort(), ['de', 'en'])
  })

  test('an entry soft-deleted through the admin API, or invalidated by URL prefix, is no longer served', async () => {
    origin.route('/deleted/a', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: `answer ${origin.hits('/deleted/a')}` }))
    const store = newStore()
    assert.equal((await cachedRequest(store, '/deleted/a')).body, 'answer 1')
    assert.equal((await cachedRequest(store, '/deleted/a')).body, 'answer 1')
    const [entry] = await entriesOf('/deleted/a')
    assert.equal((await service.api('admin', 'DELETE', `/entries/${entry.id}`)).status, 200)
    assert.equal((await cachedRequest(store, '/deleted/a')).body, 'answer 2', 'the deleted entry is not served')
    assert.equal((await cachedRequest(store, '/deleted/a')).body, 'answer 2', 'the new answer is cached')
    const entries = await entriesOf('/deleted/a')
    assert.equal(live(entries).length, 1)
    assert.equal(entries.find(e => e.id === entry.id).state, 'deleted', 'the deleted one stays deleted (restorable)')

    const deleted = await service.api('admin', 'DELETE', `/entries?${new URLSearchParams({ urlPrefix: origin.url + '/deleted/' })}`)
    assert.equal(deleted.body.deleted, 1)
    assert.equal((await cachedRequest(store, '/deleted/a')).body, 'answer 3')
    assert.equal(origin.hits('/deleted/a'), 3)
  })

  test('an unsafe request to the URL drops its stored responses (undici calls delete)', async () => {
    origin.route('/unsafe', req => ({ status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: req.method }))
    const store = newStore()
    await cachedRequest(store, '/unsafe')
    await cachedRequest(store, '/unsafe')
    assert.equal(origin.hits('/unsafe'), 1)
    await cachedRequest(store, '/unsafe', { method: 'POST' })
    await cachedRequest(store, '/unsafe')
    assert.equal(origin.hits('/unsafe'), 3)
  })

  test('after an unsafe request a lookup never serves what it invalidated: GET, POST 201, GET on 100 URLs through undici', async () => {
    const store = newStore()
    const agent = new Agent().compose(interceptors.cache({ store }))
    const stale = []
    try {
      for (let i = 0; i < 100; i++) {
        const path = `/invalidated-${i}`
        let version = 0
        origin.route(path, req => req.method === 'POST'
          ? { status: 201, headers: {}, body: 'created' }
          : { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: `version ${++version}` })
        const get = async () => (await (await request(origin.url + path, { dispatcher: agent })).body.text())
        assert.equal(await get(), 'version 1')
        const post = await request(origin.url + path, { dispatcher: agent, method: 'POST', body: 'x' })
        assert.equal(post.statusCode, 201)
        await post.body.text()
        const after = await get()
        if (after !== 'version 2') {
          stale.push(`${path}: ${after}`)
        }
      }
    } finally {
      await agent.close()
    }
    assert.deepEqual(stale, [], 'stale hits after an invalidation')
  })

  test('a lookup right after a delete that is not awaited, as undici calls it, sees the deletion', async () => {
    const store = newStore()
    const now = Date.now()
    const value = { statusCode: 200, statusMessage: 'OK', headers: {}, cachedAt: now, staleAt: now + 60_000, deleteAt: now + 120_000 }
    let served = 0
    for (let i = 0; i < 100; i++) {
      const key = { origin: origin.url, method: 'GET', path: `/unawaited-${i}`, headers: {} }
      store.createWriteStream(key, value).end(`body ${i}`)
      assert.ok(await store.get(key), 'the write is seen first')
      store.delete(key) // not awaited
      if (await store.get(key)) {
        served++
      }
    }
    assert.equal(served, 0, 'lookups that served a deleted entry')
  })

  test('a delete that fails leaves this store serving nothing cached before it', async () => {
    const now = Date.now()
    const key = { origin: origin.url, method: 'GET', path: '/failed-delete', headers: {} }
    const value = { statusCode: 200, statusMessage: 'OK', headers: {}, cachedAt: now - 1, staleAt: now + 60_000, deleteAt: now + 120_000 }
    const writer = newStore()
    writer.createWriteStream(key, value).end('before the delete')
    await writer.close()
    const proxy = await startToggleProxy(new URL(service.baseUrl).port)
    const logged = []
    const store = newStore({ baseUrl: proxy.url, logger: { warn: (...args) => logged.push(args.join(' ')) } })
    try {
      assert.ok(await store.get(key), 'served while cachekeeper is reachable')
      proxy.refuse()
      await store.delete(key)
      proxy.accept()
      assert.equal(await store.get(key), undefined, 'served after a delete that failed')
      assert.equal(live(await entriesOf('/failed-delete')).length, 1, 'cachekeeper still holds it')
      assert.ok(logged.some(line => line.includes('a delete')), logged.join('\n'))
      await store.delete(key)
      assert.equal(live(await entriesOf('/failed-delete')).length, 0, 'the next delete reaches cachekeeper')
    } finally {
      await proxy.close()
    }
  })

  test('invalidateTags retires every response whose Surrogate-Key or Cache-Tag names the tag, whatever its URL', async () => {
    origin.route('/tag-a', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300', 'surrogate-key': 'product-42 shop' }, body: 'a' }))
    origin.route('/tag-b', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300', 'cache-tag': 'category-7,product-42' }, body: 'b' }))
    origin.route('/tag-c', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300', 'surrogate-key': 'shop' }, body: 'c' }))
    const store = newStore()
    for (const path of ['/tag-a', '/tag-b', '/tag-c']) {
      await cachedRequest(store, path)
    }
    const tagged = await eventually(async () => live(await entriesOf('/tag-a'))[0])
    assert.deepEqual(tagged.tags, ['product-42', 'shop'])
    assert.equal(await store.invalidateTags('product-42'), 2)
    for (const path of ['/tag-a', '/tag-b', '/tag-c']) {
      await cachedRequest(store, path)
    }
    assert.equal(origin.hits('/tag-a'), 2)
    assert.equal(origin.hits('/tag-b'), 2)
    assert.equal(origin.hits('/tag-c'), 1, 'a response without the tag is still served from the cache')
    await assert.rejects(store.invalidateTags([]), TypeError)
  })

  test('no-store and private answers are not stored in a shared cache', async () => {
    origin.route('/no-store', () => ({ status: 200, headers: { 'cache-control': 'no-store' }, body: 'secret' }))
    origin.route('/private', () => ({ status: 200, headers: { 'cache-control': 'private, max-age=300' }, body: 'mine' }))
    const store = newStore()
    for (let i = 0; i < 2; i++) {
      await cachedRequest(store, '/no-store')
      await cachedRequest(store, '/private')
    }
    await store.close()
    assert.equal(origin.hits('/no-store'), 2)
    assert.equal(origin.hits('/private'), 2)
    assert.deepEqual(await entriesOf('/no-store'), [])
    assert.deepEqual(await entriesOf('/private'), [])
  })

  test('concurrent writers of one key leave one live entry', async () => {
    const now = Date.now()
    const key = { origin: origin.url, method: 'GET', path: '/contended' }
    const writers = Array.from({ length: 6 }, () => newStore())
    writers.forEach((store, i) => store.createWriteStream(key, {
      statusCode: 200, statusMessage: 'OK', headers: {}, cachedAt: now, staleAt: now + 60_000, deleteAt: now + 120_000
    }).end(`writer ${i}`))
    await Promise.all(writers.map(store => store.close()))
    const entries = await entriesOf('/contended')
    assert.equal(entries.length, 1)
    assert.equal(entries[0].state, 'live')
    assert.ok(entries[0].version >= 1)
    const got = await newStore().get(key)
    assert.match(Buffer.concat(got.body).toString(), /^writer \d$/)
  })

  test('cachekeeper unreachable: requests are served by the origin and the failures are logged once per burst', async () => {
    const closed = net.createServer()
    await new Promise(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = closed.address().port
    await new Promise(resolve => closed.close(resolve))
    const warnings = []
    const store = newStore({ baseUrl: `http://127.0.0.1:${port}`, logger: { warn: message => warnings.push(message) } })
    origin.route('/unreachable', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: 'from origin' }))
    for (let i = 0; i < 5; i++) {
      assert.equal((await cachedRequest(store, '/unreachable')).body, 'from origin')
    }
    await store.close()
    assert.equal(origin.hits('/unreachable'), 5)
    assert.equal(warnings.length, 1, warnings.join('\n'))
    assert.match(warnings[0], /ECONNREFUSED/)
  })

  test('cachekeeper that does not answer: the request goes to the origin after the timeout', { timeout: 15_000 }, async () => {
    const sockets = []
    const silent = net.createServer(socket => sockets.push(socket))
    await new Promise(resolve => silent.listen(0, '127.0.0.1', resolve))
    const warnings = []
    const store = newStore({ baseUrl: `http://127.0.0.1:${silent.address().port}`, timeout: 300, logger: { warn: m => warnings.push(m) } })
    origin.route('/silent', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: 'origin answered' }))
    try {
      assert.equal((await cachedRequest(store, '/silent')).body, 'origin answered')
      await store.close()
      assert.equal(origin.hits('/silent'), 1)
      assert.equal(warnings.length, 1)
    } finally {
      sockets.forEach(s => s.destroy())
      await new Promise(resolve => silent.close(resolve))
    }
  })

  /** One request through undici's cache interceptor on `store`, its body as bytes. */
  async function cachedBytes (store, path) {
    const agent = new Agent().compose(interceptors.cache({ store }))
    try {
      const response = await request(origin.url + path, { dispatcher: agent })
      return Buffer.from(await response.body.arrayBuffer())
    } finally {
      await agent.close()
    }
  }

  test('a large body is streamed to cachekeeper as it arrives, and another process is served it as a stream', async () => {
    const large = Buffer.alloc(6 * 1024 * 1024 + 3)
    for (let i = 0; i < large.length; i += 4) {
      large.writeUInt32LE((i * 2654435761) >>> 0, Math.min(i, large.length - 4))
    }
    origin.route('/video', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: large }))
    const writer = newStore()
    assert.ok((await cachedBytes(writer, '/video')).equals(large))
    await writer.close()
    const [entry] = await entriesOf('/video')
    assert.equal(entry.response.bodySize, large.length, 'uploaded as bytes, not in the JSON')
    assert.equal(entry.response.body, undefined)

    const reader = newStore()
    assert.ok((await cachedBytes(reader, '/video')).equals(large), 'the hit is the same bytes')
    assert.equal(origin.hits('/video'), 1)
    // And a large body invalidated by an unsafe request is not served either.
    await cachedRequest(reader, '/video', { method: 'POST' })
    assert.ok((await cachedBytes(reader, '/video')).equals(large))
    assert.equal(origin.hits('/video'), 3, 'the POST and the GET after it reached the origin')
  })

  test('large bodies are stored whole even when undici ends the write stream with its last bytes still unsent', async () => {
    // Node destroys a finished Writable by itself; the upload then still had its last bytes to send and
    // broke off in about one run of six. Twenty bodies whose last piece is small make that race likely.
    const sizes = Array.from({ length: 20 }, (_, i) => 300 * 1024 + 1 + i)
    sizes.forEach((size, i) => origin.route(`/whole/${i}`, () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: Buffer.alloc(size, i) })))
    const store = newStore()
    for (let i = 0; i < sizes.length; i++) {
      assert.equal((await cachedBytes(store, `/whole/${i}`)).length, sizes[i])
    }
    await store.close()
    for (let i = 0; i < sizes.length; i++) {
      const [entry] = await entriesOf(`/whole/${i}`)
      assert.equal(entry?.response.bodySize, sizes[i], `body ${i}`)
    }
  })

  test('a lookup of every page follows the Link header past the first page, and asks for deleted and expired entries only when told', async () => {
    const api = new CachekeeperApi({ baseUrl: service.baseUrl, username: 'writer', password: service.password, timeout: 3000 })
    try {
      const key = 'paging:' + Date.now()
      const ids = []
      for (let i = 0; i < 5; i++) {
        const id = `00000000-0000-4000-8000-00000000000${i}`
        assert.deepEqual(await api.create({
          id, cacheKey: key, request: { method: 'GET', url: 'https://example.com/p', headers: {} },
          response: { status: 200, headers: {}, body: '' }, metadata: {}
        }), { created: true })
        ids.push(id)
      }
      assert.equal((await api.lookup(key, { limit: 2, includeBody: false })).length, 2, 'one page')
      assert.deepEqual((await api.lookup(key, { limit: 2, includeBody: false, allPages: true })).map(e => e.id), ids)
      const [first] = await api.lookup(key, { limit: 1, includeBody: false })
      await api.softDelete(first.id, first.version)
      assert.equal((await api.lookup(key, { limit: 10, includeBody: false, includeExpired: true })).length, 4,
        'includeExpired does not bring the deleted one')
      assert.equal((await api.lookup(key, { limit: 10, includeBody: false, includeDeleted: true })).length, 5)
    } finally {
      await api.close()
    }
  })

  test('a streamed body past maxEntrySize is abandoned: nothing is stored, cachekeeper keeps no upload, the caller gets it all', async () => {
    const large = Buffer.alloc(3 * 1024 * 1024, 'y')
    origin.route('/too-large', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: large }))
    const store = newStore({ inlineBodyLimit: 64 * 1024, maxEntrySize: 1024 * 1024 })
    assert.equal((await cachedBytes(store, '/too-large')).length, large.length)
    await store.close()
    assert.deepEqual(await entriesOf('/too-large'), [])
    await eventually(async () => (await service.api('admin', 'GET', '/admin/stats')).body.streamed.unheldBodies === 0)
  })

  test('a body cachekeeper refuses (413) is not stored, and the caller still gets it', async () => {
    const large = Buffer.alloc(11 * 1024 * 1024, 'x')
    origin.route('/large', () => ({ status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: large }))
    const warnings = []
    // Sent in the JSON (over cachekeeper's max-body-size of 10 MiB), not streamed.
    const store = newStore({ maxEntrySize: 20 * 1024 * 1024, inlineBodyLimit: 20 * 1024 * 1024, logger: { warn: m => warnings.push(m) } })
    assert.equal((await cachedRequest(store, '/large')).body.length, large.length)
    await store.close()
    assert.deepEqual(await entriesOf('/large'), [])
    assert.equal(warnings.length, 1)
    assert.match(warnings[0], /413/)
  })
})

/** A TCP proxy to the service that the test can make refuse connections (closing those it has). */
async function startToggleProxy (targetPort) {
  let refusing = false
  const sockets = new Set()
  const server = net.createServer(client => {
    if (refusing) {
      client.destroy()
      return
    }
    const upstream = net.connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    client.pipe(upstream).pipe(client)
    const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream) }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    refuse () { refusing = true; sockets.forEach(s => s.destroy()) },
    accept () { refusing = false },
    close () { sockets.forEach(s => s.destroy()); return new Promise(resolve => server.close(resolve)) }
  }
}

test('the store checks every numeric option when it is made, naming the wrong one', () => {
  const baseUrl = 'http://127.0.0.1:1'
  for (const [name, value] of [['writeRetries', -1], ['writeRetries', 1.5], ['generations', 0], ['quietMs', '30000'],
    ['lookupLimit', 1001], ['timeout', 0]]) {
    assert.throws(() => new CachekeeperCacheStore({ baseUrl, [name]: value }), { name: 'TypeError', message: new RegExp(name) })
  }
  assert.doesNotThrow(() => new CachekeeperCacheStore({ baseUrl, writeRetries: 0, generations: 1, quietMs: 1 }))
})
