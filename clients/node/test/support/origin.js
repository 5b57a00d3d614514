import http from 'node:http'

/**
 * A local origin whose answers a test sets per path, counting the requests that reach it (by path).
 * `routes[path]` is a function (req) => ({ status, headers, body }).
 */
export async function startOrigin () {
  const hits = new Map()
  const routes = new Map()
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://origin')
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1)
    const route = routes.get(url.pathname)
    const answer = route ? route(req) : { status: 404, headers: {}, body: 'no route' }
    res.writeHead(answer.status, answer.headers)
    res.end(answer.body)
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    route (path, handler) { routes.set(path, handler) },
    hits (path) { return hits.get(path) ?? 0 },
    close () { server.closeAllConnections(); return new Promise(resolve => server.close(resolve)) }
  }
}
