import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_KEY_LENGTH, storageKey, storedValue, toEntry, variantId, varyMatches } from '../src/entry-mapping.js'
import { BurstLog } from '../src/burst-log.js'

test('the storage key is prefix + origin + path, and a SHA-256 of them past 8,192 characters', () => {
  assert.equal(storageKey('undici:', { origin: 'https://a.example', path: '/p?q=1' }), 'undici:https://a.example/p?q=1')
  const long = { origin: 'https://a.example', path: '/' + 'x'.repeat(MAX_KEY_LENGTH) }
  const key = storageKey('undici:', long)
  assert.match(key, /^undici:sha256:[0-9a-f]{64}$/)
  assert.equal(storageKey('undici:', long), key)
  assert.notEqual(storageKey('undici:', { ...long, path: long.path + 'y' }), key)
})

test('a variant id is a UUID that depends on method, the varied header values and the generation, not on their order', () => {
  const id = variantId('k', 'GET', { a: '1', b: null }, 0)
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.equal(variantId('k', 'GET', { b: null, a: '1' }, 0), id)
  for (const other of [variantId('k', 'HEAD', { a: '1', b: null }, 0), variantId('k', 'GET', { a: '2', b: null }, 0),
    variantId('k', 'GET', { a: '1' }, 0), variantId('k', 'GET', { a: '1', b: null }, 1), variantId('k2', 'GET', { a: '1', b: null }, 0)]) {
    assert.notEqual(other, id)
  }
})

test('an entry keeps header shapes, vary nulls and times; readable fields carry lists', () => {
  const value = {
    statusCode: 200,
    statusMessage: '',
    headers: { a: 'one', b: ['x', 'y'], c: ['single list'] },
    vary: { 'accept-language': ['en', 'de'], 'x-absent': null },
    cachedAt: 1,
    staleAt: 2,
    deleteAt: 3
  }
  const entry = toEntry({ id: 'i', cacheKey: 'k', key: { origin: 'https://o', method: 'GET', path: '/p' }, value, body: Buffer.alloc(0), ttlSeconds: 5 })
  assert.deepEqual(entry.response.headers, { a: ['one'], b: ['x', 'y'], c: ['single list'] })
  assert.deepEqual(entry.request, { method: 'GET', url: 'https://o/p', headers: { 'accept-language': ['en', 'de'] } })
  assert.equal(entry.response.body, undefined, 'an empty body is left out')
  assert.deepEqual(storedValue(JSON.parse(JSON.stringify(entry))), { ...value, cacheControlDirectives: {} })
  assert.equal(storedValue({ ...entry, metadata: { hits: 1 } }), undefined, 'an entry written by someone else')
})

test('vary matching follows undici: absent matches null, lists match element by element', () => {
  assert.ok(varyMatches({ a: '1' }, undefined))
  assert.ok(varyMatches({ a: '1' }, { a: '1', b: null }))
  assert.ok(!varyMatches({ a: '1', b: '2' }, { a: '1', b: null }))
  assert.ok(varyMatches({ a: ['1', '2'] }, { a: ['1', '2'] }))
  assert.ok(!varyMatches({ a: ['1'] }, { a: ['1', '2'] }))
  assert.ok(!varyMatches(undefined, { a: '1' }))
})

test('failures are logged once per burst, and the count follows with the next log', () => {
  const lines = []
  const log = new BurstLog({ warn: line => lines.push(line) }, 60_000)
  for (let i = 0; i < 5; i++) {
    log.failure('a lookup', 'served as a cache miss', new Error('boom'))
  }
  assert.equal(lines.length, 1)
  assert.match(lines[0], /a lookup failed \(served as a cache miss\): boom/)
  log.success()
  assert.equal(lines.length, 2)
  assert.match(lines[1], /4 more failures/)
  log.failure('a write', 'the response is not stored', new Error('again'))
  assert.equal(lines.length, 3, 'a failure after a success starts a new burst')
})
