// A second Node process: one request through undici's cache interceptor on a CachekeeperCacheStore.
// argv: baseUrl password url [header=value …]; prints { status, headers, body } as JSON.
import { Agent, interceptors, request } from 'undici'
import { CachekeeperCacheStore } from '../../src/index.js'

const [baseUrl, password, url, ...headerArgs] = process.argv.slice(2)
const store = new CachekeeperCacheStore({ baseUrl, username: 'writer', password })
const agent = new Agent().compose(interceptors.cache({ store }))
const headers = Object.fromEntries(headerArgs.map(h => h.split('=')))
const response = await request(url, { dispatcher: agent, headers })
const body = await response.body.text()
console.log(JSON.stringify({ status: response.statusCode, headers: response.headers, body }))
await agent.close()
await store.close()
