// The operators' console: pages over the service's public HTTP API (docs/api.md), nothing else. Every figure shown
// comes from one of its answers and every action is one of its calls, made with the operator's own credentials
// (the browser's HTTP Basic login to /console, which the API's /admin paths share). Text from the store is always
// set as text, never as markup: a cached response is whatever some origin sent.

const main = document.getElementById('main')
const problemBox = document.getElementById('problem')
const SVG = 'http://www.w3.org/2000/svg'
/** How much of a body uploaded as bytes the entry page reads: a preview, never the whole of a large body. */
const PREVIEW_BYTES = 65536
/** The recycle bin's page size. */
const PAGE = 50
/** The filters of GET /admin/entries and POST /admin/entries/restore, as the API names them. */
const FILTERS = ['key', 'urlPrefix', 'tag', 'deletedAfter', 'deletedBefore', 'createdAfter', 'createdBefore']
const STATES = ['deleted', 'purgeable', 'live', 'expired']

/** An element with attributes and children; strings become text nodes. */
function h (tag, attrs = {}, ...children) {
  const el = attrs.svg ? document.createElementNS(SVG, tag) : document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'svg' || value === undefined || value === null || value === false) continue
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value)
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child))
  }
  return el
}

class ApiError extends Error {
  constructor (status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }
}

/** One call of the API: its JSON (null for no content) and its headers; a problem answer throws ApiError. */
async function api (method, path, { headers = {}, raw = false } = {}) {
  const response = await fetch(path, { method, headers: { accept: raw ? '*/*' : 'application/json', ...headers } })
  if (!response.ok) {
    let problem = { title: `HTTP ${response.status}` }
    try { problem = await response.json() } catch { /* not a problem document: the status says it */ }
    throw new ApiError(response.status, problem)
  }
  if (raw) return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
  const text = await response.text()
  return { body: text ? JSON.parse(text) : null, headers: response.headers }
}

function showProblem (error) {
  problemBox.replaceChildren()
  if (!error) {
    problemBox.hidden = true
    return
  }
  const p = error.problem || { title: 'The request failed', detail: String(error.message || error) }
  problemBox.append(h('strong', {}, `${p.status || error.status || ''} ${p.title || ''}`.trim()),
    p.detail ? h('span', {}, ': ', p.detail) : '',
    p.field ? h('span', {}, ` (field: ${p.field})`) : '')
  problemBox.hidden = false
}

// ---- formatting --------------------------------------------------------------------------------------------------

const number = n => Number(n).toLocaleString('en')
function bytes (n) {
  if (n === null || n === undefined) return '–'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = Number(n)
  let u = 0
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++ }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`
}
const when = iso => iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–'
function duration (ms) {
  if (ms <= 0) return 'none'
  const s = Math.floor(ms / 1000)
  const d = Math.floor(s / 86400)
  const hrs = Math.floor(s % 86400 / 3600)
  const min = Math.floor(s % 3600 / 60)
  if (d > 0) return `${d} d ${hrs} h`
  if (hrs > 0) return `${hrs} h ${min} min`
  return min > 0 ? `${min} min` : `${s} s`
}
const stateText = state => h('span', { class: `state state-${state}` }, state)

/** The time left in its grace period of a soft-deleted entry, as text (never by colour alone). */
function graceLeft (entry, now) {
  if (entry.state === 'deleted') return `${duration(Date.parse(entry.purgeAfter) - now)} left`
  if (entry.state === 'purgeable') return 'grace over: cannot be restored'
  return '–'
}

// ---- routing -----------------------------------------------------------------------------------------------------

/** Whether a page was shown already: focus moves to the new page on navigation, not on the first load. */
let navigated = false

function route () {
  const hash = location.hash.replace(/^#/, '') || '/'
  const [path, query] = hash.split('?')
  const params = new URLSearchParams(query || '')
  const page = path.startsWith('/entry/') ? 'bin' : path === '/bin' ? 'bin' : path === '/cleanup' ? 'cleanup' : 'overview'
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  showProblem(null)
  let render
  if (path.startsWith('/entry/')) render = entryPage(decodeURIComponent(path.slice('/entry/'.length)))
  else if (path === '/bin') render = binPage(params)
  else if (path === '/cleanup') render = cleanupPage()
  else render = overviewPage()
  render.catch(showProblem).finally(() => {
    const heading = main.querySelector('h1')
    document.title = `${heading ? heading.textContent : 'cachekeeper'} · cachekeeper console`
    if (navigated) main.focus()
    navigated = true
  })
}

function page (title, ...content) {
  main.replaceChildren(h('h1', {}, title), ...content)
}

// ---- overview ----------------------------------------------------------------------------------------------------

async function overviewPage () {
  page('Overview', h('p', {}, 'Loading…'))
  // The exact counts scan the whole store (GET /admin/stats: a few hundred ms on a million entries): the chart and
  // the cleanup status, read from indexes and memory, are shown first and the counts fill in when they come.
  const stats = api('GET', '/admin/stats')
  const [cleanup, deletions] = await Promise.all([api('GET', '/admin/cleanup'), api('GET', '/admin/deletions?hours=48')])
  const counts = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Counting every entry (an exact scan of the store)…'))
  page('Overview',
    h('h2', {}, 'Soft deletions, last 48 hours'),
    deletionChart(deletions.body),
    h('h2', {}, 'Entries by state'),
    counts,
    h('h2', {}, 'Cleanup'),
    cleanupSummary(cleanup.body))
  const s = (await stats).body
  const rows = STATES.map(state => h('tr', {},
    h('th', { scope: 'row' }, stateText(state)), h('td', { class: 'num' }, number(s[state])),
    h('td', { class: 'num' }, bytes(s.bodyBytes[state]))))
  const caps = s.caps
  const cap = (label, max, full, show) => max === null
    ? h('p', {}, `${label}: no cap`)
    : h('p', {}, `${label}: ${show(max)}, `, h('meter', { min: 0, max: 1, value: Math.min(full, 1), 'aria-label': `${label} used` }),
      ` ${(full * 100).toFixed(1)} % used`)
  counts.replaceChildren(
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'state'), h('th', { scope: 'col', class: 'num' }, 'entries'),
      h('th', { scope: 'col', class: 'num' }, 'body bytes'))),
    h('tbody', {}, rows, h('tr', {}, h('th', { scope: 'row' }, 'total'), h('td', { class: 'num' }, number(s.total)),
      h('td', { class: 'num' }, bytes(s.bodyBytes.total))))),
    h('p', { class: 'muted' }, `Bodies uploaded as bytes: ${number(s.streamed.bodies)} (${bytes(s.streamed.bytes)}), of which no entry holds `,
      `${number(s.streamed.unheldBodies)} (${bytes(s.streamed.unheldBytes)}).`),
    h('h3', {}, 'Size caps'),
    cap('Entries', caps.maxEntries, caps.entriesFull, number),
    cap('Body bytes', caps.maxTotalSize, caps.totalSizeFull, bytes))
  counts.setAttribute('aria-busy', 'false')
}

function cleanupSummary (status) {
  const last = status.lastRun
  return h('div', {},
    h('p', {}, status.running ? 'A pass is running in this instance now.' : 'No pass is running in this instance.'),
    h('p', {}, 'Next scheduled pass: ', status.nextRun ? when(status.nextRun) : 'none (scheduled passes are off)'),
    last
      ? h('p', {}, `Last pass here (${last.trigger}${last.dryRun ? ', dry run' : ''}): ${when(last.finishedAt)}, `,
        `${number(last.purged)} purged in ${number(last.batches)} batches, ${last.completed ? 'completed' : `stopped early: ${last.error}`}.`)
      : h('p', {}, 'No pass has run in this instance since it started.'),
    h('p', {}, h('a', { href: '#/cleanup' }, 'Run a dry run or a pass')))
}

/** The interval of the recycle bin's exclusive time filters that holds exactly the hour from `start`. */
function hourFilters (start) {
  const from = new Date(Date.parse(start) - 1000).toISOString().replace(/\.\d+Z$/, '.999999Z')
  const to = new Date(Date.parse(start) + 3600 * 1000).toISOString()
  return `deletedAfter=${encodeURIComponent(from)}&deletedBefore=${encodeURIComponent(to)}`
}

/**
 * A bar per hour, each a link to the recycle bin filtered to that hour; the line where the grace period starts
 * (bars left of it are hatched as well as greyed: deletions there can no longer be restored). The same figures as a
 * table follow, for whoever does not see the chart.
 */
function deletionChart (history) {
  const hours = history.hours
  const width = 960
  const height = 220
  const left = 48
  const bottom = 30
  const top = 24
  const max = Math.max(1, ...hours.map(x => x.deleted))
  const step = (width - left - 10) / hours.length
  const y = n => height - bottom - (height - bottom - top) * n / max
  const graceAt = Date.parse(history.graceStart)
  const svg = h('svg', { svg: true, class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title' },
    h('title', { svg: true, id: 'chart-title' }, `Soft deletions per hour; grace period starts ${when(history.graceStart)}`),
    h('defs', { svg: true }, h('pattern', { svg: true, id: 'past', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      h('rect', { svg: true, width: 6, height: 6, fill: '#8c959f' }), h('line', { svg: true, x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#fff', 'stroke-width': 3 }))),
    h('line', { svg: true, class: 'axis', x1: left, y1: height - bottom, x2: width - 5, y2: height - bottom }),
    h('text', { svg: true, x: left - 6, y: top + 4, 'text-anchor': 'end' }, number(max)),
    h('text', { svg: true, x: left - 6, y: height - bottom, 'text-anchor': 'end' }, '0'))
  hours.forEach((hour, i) => {
    const x = left + i * step
    const start = Date.parse(hour.start)
    if (i % 6 === 0) {
      svg.append(h('text', { svg: true, x, y: height - 10 }, hour.start.slice(5, 13).replace('T', ' ') + 'h'))
    }
    if (hour.deleted > 0) {
      const past = start + 3600 * 1000 <= graceAt
      svg.append(h('a', { svg: true, href: `#/bin?state=deleted&state=purgeable&${hourFilters(hour.start)}`, 'aria-label': `${number(hour.deleted)} deleted in the hour from ${when(hour.start)}${past ? ', past the grace period' : ''}` },
        h('rect', { svg: true, class: past ? 'bar past' : 'bar', x: x + 1, width: Math.max(1, step - 2), y: y(hour.deleted), height: height - bottom - y(hour.deleted) }),
        h('title', { svg: true }, `${hour.start}: ${number(hour.deleted)} deleted`)))
    }
  })
  const first = Date.parse(hours[0].start)
  const span = hours.length * 3600 * 1000
  if (graceAt > first && graceAt < first + span) {
    const gx = left + (graceAt - first) / span * (hours.length * step)
    svg.append(h('line', { svg: true, class: 'grace', x1: gx, y1: top - 10, x2: gx, y2: height - bottom }),
      h('text', { svg: true, class: 'grace-label', x: gx > width / 2 ? gx - 4 : gx + 4, y: top - 1, 'text-anchor': gx > width / 2 ? 'end' : 'start' },
        'grace period starts: restorable right of this line'))
  }
  const busy = hours.filter(x => x.deleted > 0)
  return h('figure', {},
    svg,
    h('figcaption', {}, `Entries soft-deleted per hour (UTC), not purged yet. Grace period ${history.gracePeriod}: `,
      `deletions before ${when(history.graceStart)} can no longer be restored. Select a bar to list that hour's deletions.`),
    h('details', {}, h('summary', {}, 'The same figures as a table'),
      busy.length === 0
        ? h('p', {}, 'No soft deletions in these hours.')
        : h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'hour from'), h('th', { scope: 'col', class: 'num' }, 'deleted'),
          h('th', { scope: 'col' }, 'restorable'))),
        h('tbody', {}, busy.map(hour => h('tr', {}, h('td', {}, h('a', { href: `#/bin?state=deleted&state=purgeable&${hourFilters(hour.start)}` }, when(hour.start))),
          h('td', { class: 'num' }, number(hour.deleted)),
          h('td', {}, Date.parse(hour.start) + 3600 * 1000 <= graceAt ? 'no, grace over' : Date.parse(hour.start) >= graceAt ? 'yes' : 'partly'))))))
  )
}

// ---- recycle bin ---------------------------------------------------------------------------------------------------

/** A datetime-local value (read as UTC) to RFC 3339, and back. */
const toApiTime = local => local ? new Date(local + (local.length === 16 ? ':00' : '') + 'Z').toISOString() : ''
function toLocalInput (iso) {
  const t = iso ? Date.parse(iso) : NaN
  return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(0, 19) // not a time: the API's answer says so
}

function filterForm (params) {
  const text = (name, label, hint) => h('div', {}, h('label', { for: `f-${name}` }, label),
    h('input', { type: 'text', id: `f-${name}`, name, value: name === 'tag' ? params.getAll('tag').join(', ') : params.get(name) || '', 'aria-describedby': hint ? `f-${name}-hint` : undefined }),
    hint ? h('small', { id: `f-${name}-hint`, class: 'muted' }, hint) : '')
  const time = (name, label) => h('div', {}, h('label', { for: `f-${name}` }, label),
    h('input', { type: 'datetime-local', step: 1, id: `f-${name}`, name, value: toLocalInput(params.get(name)) }))
  const states = params.getAll('state')
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Recycle bin filters' },
    h('fieldset', {}, h('legend', {}, 'States'),
      STATES.map(state => h('label', { class: 'choice' },
        h('input', { type: 'checkbox', name: 'state', value: state, checked: states.includes(state) }), ` ${state}`))),
    text('tag', 'Tags', 'any of them; separate with commas'),
    text('urlPrefix', 'URL prefix', 'literal, e.g. https://api.example.com/v1/'),
    text('key', 'Cache key'),
    time('deletedAfter', 'Deleted after (UTC)'),
    time('deletedBefore', 'Deleted before (UTC)'),
    time('createdAfter', 'Created after (UTC)'),
    time('createdBefore', 'Created before (UTC)'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')))
  form.addEventListener('submit', event => {
    event.preventDefault()
    const next = new URLSearchParams()
    for (const box of form.querySelectorAll('input[name=state]:checked')) next.append('state', box.value)
    for (const name of FILTERS) {
      const input = form.elements[name]
      if (name === 'tag') {
        for (const tag of input.value.split(',').map(t => t.trim()).filter(Boolean)) next.append('tag', tag)
      } else if (input.type === 'datetime-local') {
        if (input.value) next.set(name, toApiTime(input.value))
      } else if (input.value) {
        next.set(name, input.value)
      }
    }
    location.hash = `#/bin?${next}`
  })
  return form
}

/** The filters of the page's address that the API takes (the states aside), as a query string. */
function filterQuery (params) {
  const q = new URLSearchParams()
  for (const name of FILTERS) for (const value of params.getAll(name)) q.append(name, value)
  return q
}

async function binPage (params) {
  const query = filterQuery(params)
  for (const state of params.getAll('state')) query.append('state', state)
  query.set('limit', PAGE)
  const results = h('section', { 'aria-labelledby': 'results-title' }, h('h2', { id: 'results-title' }, 'Entries'))
  const list = () => {
    results.replaceChildren(results.firstChild)
    return listPage(results, `/admin/entries?${query}`, true)
  }
  page('Recycle bin', filterForm(params), restoreAll(params, () => list().catch(showProblem)), results)
  await list()
}

/** A page of the bin into `section`, and a button for the next one while the API's Link header names one. */
async function listPage (section, path, first) {
  const { body, headers } = await api('GET', path)
  const now = Date.now()
  if (first && body.length === 0) {
    section.append(h('p', {}, 'No entry matches these filters.'))
    return
  }
  const table = h('table', {}, h('thead', {}, h('tr', {}, ['cache key', 'URL', 'state', 'deleted at', 'grace', ''].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, body.map(entry => h('tr', {},
      h('td', { class: 'wrap' }, h('a', { href: `#/entry/${entry.id}` }, entry.cacheKey)),
      h('td', { class: 'wrap' }, entry.request.url),
      h('td', {}, stateText(entry.state)),
      h('td', {}, when(entry.deletedAt)),
      h('td', {}, graceLeft(entry, now)),
      h('td', {}, entry.state === 'deleted' ? restoreOneButton(entry) : '')))))
  section.append(table)
  const next = /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') || '')
  if (next) {
    const url = new URL(next[1], location.origin)
    const more = h('button', { type: 'button', class: 'secondary' }, 'Next page')
    more.addEventListener('click', () => {
      more.remove()
      listPage(section, url.pathname + url.search, false).catch(showProblem)
    })
    section.append(h('div', { class: 'actions' }, more))
  }
}

function restoreOneButton (entry) {
  const button = h('button', { type: 'button', class: 'secondary', 'aria-label': `Restore ${entry.cacheKey}` }, 'Restore')
  button.addEventListener('click', async () => {
    try {
      await api('POST', `/entries/${entry.id}/restore`)
      button.replaceWith(h('span', { role: 'status' }, 'restored'))
    } catch (e) { showProblem(e) }
  })
  return button
}

/**
 * Restoring everything the filters match: a dry run first, its count shown, then the restore itself on
 * confirmation, and its result (the list shown again, `restored`). The API needs a key, URL prefix, tag or deletedAfter among the filters.
 */
function restoreAll (params, restored) {
  const query = filterQuery(params)
  const box = h('section', { 'aria-labelledby': 'restore-title' }, h('h2', { id: 'restore-title' }, 'Restore everything that matches'))
  if (!['key', 'urlPrefix', 'tag', 'deletedAfter'].some(name => query.has(name))) {
    box.append(h('p', { class: 'muted' }, 'Filter by a tag, URL prefix, cache key or "deleted after" to restore many entries at once.'))
    return box
  }
  const status = h('div', { role: 'status', 'aria-live': 'polite' })
  const count = h('button', { type: 'button' }, 'Count what a restore would take back')
  count.addEventListener('click', async () => {
    try {
      const { body } = await api('POST', `/admin/entries/restore?${query}&dryRun=true`)
      status.replaceChildren(h('p', { class: body.restored > 0 ? 'notice' : 'warning' },
        `${number(body.restored)} entries can be restored; ${number(body.skipped)} match but are past their grace period.`))
      if (body.restored > 0) {
        const confirm = h('button', { type: 'button', class: 'danger' }, `Restore ${number(body.restored)} entries`)
        const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel')
        cancel.addEventListener('click', () => { status.replaceChildren(); count.focus() })
        confirm.addEventListener('click', async () => {
          try {
            const done = await api('POST', `/admin/entries/restore?${query}`)
            status.replaceChildren(h('p', { class: 'notice' }, `Restored ${number(done.body.restored)} entries; `,
              `${number(done.body.skipped)} were past their grace period.`))
            restored()
          } catch (e) { showProblem(e) }
        })
        status.append(h('div', { class: 'actions' }, confirm, cancel))
        confirm.focus()
      }
    } catch (e) { showProblem(e) }
  })
  box.append(h('div', { class: 'actions' }, count), status)
  return box
}

// ---- one entry -----------------------------------------------------------------------------------------------------

async function entryPage (id) {
  page('Entry', h('p', {}, 'Loading…'))
  const { body: e } = await api('GET', `/entries/${encodeURIComponent(id)}`)
  const headerTable = (caption, headers) => h('table', {}, h('caption', { class: 'muted' }, caption),
    h('tbody', {}, Object.entries(headers || {}).map(([name, values]) =>
      h('tr', {}, h('th', { scope: 'row' }, name), h('td', { class: 'wrap' }, [].concat(values).join(', '))))))
  const facts = [['state', stateText(e.state)], ['cache key', e.cacheKey], ['id', e.id], ['version', e.version],
    ['created', when(e.createdAt)], ['expires', e.expiresAt ? when(e.expiresAt) : 'never'], ['deleted', when(e.deletedAt)],
    ['purged after', e.purgeAfter ? when(e.purgeAfter) : 'not while live'], ['grace', graceLeft(e, Date.now())],
    ['tags', e.tags.length ? e.tags.join(', ') : 'none']]
  const actions = h('div', { class: 'actions' })
  const status = h('div', { role: 'status', 'aria-live': 'polite' })
  if (e.state === 'deleted') {
    const restore = h('button', { type: 'button' }, 'Restore this entry')
    restore.addEventListener('click', async () => {
      try {
        const { body } = await api('POST', `/entries/${e.id}/restore`, { headers: { 'if-match': `"${e.version}"` } })
        status.replaceChildren(h('p', { class: 'notice' }, `Restored: the entry is ${body.state} again (version ${body.version}).`))
        restore.remove()
      } catch (err) { showProblem(err) }
    })
    actions.append(restore)
  }
  page(`Entry: ${e.request.method} ${e.request.url}`,
    h('table', {}, h('tbody', {}, facts.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'wrap' }, v))))),
    actions, status,
    h('h2', {}, 'Request'), h('p', { class: 'wrap' }, `${e.request.method} ${e.request.url}`), headerTable('request headers', e.request.headers),
    h('h2', {}, `Response: ${e.response.status}`), headerTable('response headers', e.response.headers),
    h('h2', {}, 'Body'), await bodyView(e),
    h('h2', {}, 'Metadata'), h('pre', {}, JSON.stringify(e.metadata, null, 2)))
}

function header (headers, name) {
  for (const [key, values] of Object.entries(headers || {})) {
    if (key.toLowerCase() === name) return [].concat(values).join(', ')
  }
  return ''
}

/** The body as people expect it: JSON and text readable, images shown, anything else as its size and a hex preview. */
async function bodyView (e) {
  let data
  let total
  let partial = false
  if (e.response.bodySize !== undefined && e.response.bodySize !== null) {
    total = e.response.bodySize
    if (total > 0) {
      const { bytes: read } = await api('GET', `/entries/${e.id}/body`, { raw: true, headers: { range: `bytes=0-${PREVIEW_BYTES - 1}` } })
      data = read
    } else {
      data = new Uint8Array(0)
    }
    partial = data.length < total
  } else {
    data = Uint8Array.from(atob(e.response.body || ''), c => c.charCodeAt(0))
    total = data.length
  }
  const type = header(e.response.headers, 'content-type').split(';')[0].trim().toLowerCase()
  const encoding = header(e.response.headers, 'content-encoding').toLowerCase()
  const about = h('p', { class: 'muted' }, `${bytes(total)}${type ? `, ${type}` : ''}${encoding ? `, content-encoding ${encoding}` : ''}`,
    partial ? `; the first ${bytes(data.length)} shown (read with a Range request)` : '')
  if (total === 0) return h('div', {}, about, h('p', {}, 'The body is empty.'))
  if (!encoding || encoding === 'identity') {
    if (/^image\/(png|jpeg|gif|webp|avif|bmp|svg\+xml)$/.test(type) && !partial) {
      const url = URL.createObjectURL(new Blob([data], { type }))
      return h('div', {}, about, h('img', { class: 'body', src: url, alt: `the response body, an image (${type})` }))
    }
    const text = textOf(data, type)
    if (text !== null) return h('div', {}, about, h('pre', { tabindex: 0, 'aria-label': 'response body' }, text))
  }
  return h('div', {}, about, h('pre', { tabindex: 0, 'aria-label': 'response body, hexadecimal' }, hex(data.subarray(0, 512))),
    data.length > 512 ? h('p', { class: 'muted' }, `The first 512 of ${number(total)} bytes.`) : '')
}

/** The body as text when its type says text (JSON pretty-printed when whole), or when it decodes as UTF-8. */
function textOf (data, type) {
  const texty = /^text\/|json|xml|javascript|ecmascript|x-www-form-urlencoded|yaml|csv/.test(type)
  let text
  try { text = new TextDecoder('utf-8', { fatal: !texty }).decode(data) } catch { return null }
  if (!texty && /[\u0000-\u0008\u000e-\u001f]/.test(text)) return null
  if (/json/.test(type)) {
    try { return JSON.stringify(JSON.parse(text), null, 2) } catch { /* partial or not JSON: as it is */ }
  }
  return text
}

function hex (data) {
  const lines = []
  for (let at = 0; at < data.length; at += 16) {
    const row = data.subarray(at, at + 16)
    const hexes = Array.from(row, b => b.toString(16).padStart(2, '0')).join(' ')
    const chars = Array.from(row, b => b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.').join('')
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hexes.padEnd(47)}  ${chars}`)
  }
  return lines.join('\n')
}

// ---- cleanup -------------------------------------------------------------------------------------------------------

async function cleanupPage () {
  page('Cleanup', h('p', {}, 'Loading…'))
  const { body: status } = await api('GET', '/admin/cleanup')
  const c = status.configuration
  const result = h('div', { role: 'status', 'aria-live': 'polite' })
  const dry = h('button', { type: 'button' }, 'Dry run: count what a pass would purge')
  const run = h('button', { type: 'button', class: 'secondary' }, 'Run a pass now…')
  dry.addEventListener('click', () => pass(result, true))
  run.addEventListener('click', () => {
    const sure = h('button', { type: 'button', class: 'danger' }, 'Purge now')
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel')
    cancel.addEventListener('click', () => { result.replaceChildren(); run.focus() })
    sure.addEventListener('click', () => pass(result, false))
    result.replaceChildren(h('p', { class: 'warning' }, 'A pass removes for good every entry past its grace period and every stale expired entry.'),
      h('div', { class: 'actions' }, sure, cancel))
    sure.focus()
  })
  page('Cleanup', cleanupSummary(status),
    h('h2', {}, 'Settings'),
    h('table', {}, h('tbody', {}, Object.entries(c).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, String(v)))))),
    h('h2', {}, 'Run'), h('div', { class: 'actions' }, dry, run), result)
}

async function pass (result, dryRun) {
  result.replaceChildren(h('p', {}, dryRun ? 'Counting…' : 'Purging…'))
  try {
    const { body: r } = await api('POST', `/admin/cleanup${dryRun ? '?dryRun=true' : ''}`)
    result.replaceChildren(h('h3', {}, dryRun ? 'Dry run report' : 'Pass report'),
      h('table', {}, h('tbody', {}, [['would purge / purged', number(r.purged)], ['of them soft-deleted', number(r.purgedDeleted)],
        ['expired', number(r.purgedExpired)], ['evicted for the caps', number(r.purgedEvicted)], ['bodies removed', number(r.removedBodies)],
        ['batches', number(r.batches)], ['duration', `${number(r.durationMs)} ms`], ['completed', r.completed ? 'yes' : `no: ${r.error}`]]
        .map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, v))))))
  } catch (e) {
    result.replaceChildren()
    showProblem(e)
  }
}

window.addEventListener('hashchange', route)
route()
