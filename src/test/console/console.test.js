// The operators' console (/console) in a real browser: Playwright (playwright-core) driving Debian's chromium,
// headless, against the packaged service on an embedded PostgreSQL. The scenario is the one the console exists
// for: a tag is invalidated by mistake, the operator finds the spike in the chart, looks at what was deleted,
// and restores the tag's entries after a dry run's count; the API then answers them live again.
// CONSOLE_SCREENSHOTS names a directory for the pages' screenshots (docs/console.md uses them).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { chromium } from 'playwright-core'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const TAG = 'product-42'
const TAGGED = 30
const screenshots = process.env.CONSOLE_SCREENSHOTS ? path.resolve(process.env.CONSOLE_SCREENSHOTS) : null

let service
let browser

/** The packaged service, started by the Java client's ServiceLauncher, as the clients' own tests start it. */
async function startService () {
  const javaClient = path.join(root, 'clients', 'java')
  const jar = path.join(root, 'target', 'quarkus-app', 'quarkus-run.jar')
  const classpathFile = path.join(javaClient, 'target', 'test-classpath.txt')
  if (!existsSync(jar) || !existsSync(classpathFile)) {
    throw new Error('build the service and the Java client first: ./mvnw -B verify && ./mvnw -B -f clients/java/pom.xml verify')
  }
  const classpath = [path.join(javaClient, 'target', 'test-classes'), path.join(javaClient, 'target', 'classes'),
    readFileSync(classpathFile, 'utf8').trim()].join(path.delimiter)
  const launcher = spawn('java', ['-cp', classpath, `-Dcachekeeper.jar=${jar}`, 'io.cachekeeper.client.ServiceLauncher'],
    { cwd: javaClient, stdio: ['pipe', 'pipe', 'ignore'] })
  const [, baseUrl, password] = await new Promise((resolve, reject) => {
    let out = ''
    launcher.stdout.on('data', chunk => {
      out += chunk
      const line = out.split('\n').find(l => l.startsWith('READY '))
      if (line) resolve(line.trim().split(' '))
    })
    launcher.on('exit', code => reject(new Error(`the service launcher exited (${code}): ${out}`)))
  })
  return {
    baseUrl,
    password,
    async api (user, method, apiPath, body) {
      const response = await fetch(new URL(apiPath, baseUrl), {
        method,
        headers: { authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'), accept: 'application/json', ...(body ? { 'content-type': body.type } : {}) },
        body: body ? body.data : undefined
      })
      const text = await response.text()
      return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
    },
    stop: () => new Promise(resolve => { launcher.once('exit', resolve); launcher.stdin.end() })
  }
}

function entry (key, url, { tags = [], body, contentType }) {
  return {
    type: 'application/json',
    data: JSON.stringify({
      cacheKey: key,
      request: { method: 'GET', url, headers: { accept: ['*/*'] } },
      response: { status: 200, headers: { 'content-type': [contentType] }, body: Buffer.from(body).toString('base64') },
      tags,
      ttlSeconds: 3600
    })
  }
}

// A 2×2 PNG, red and blue: small enough to inline, real enough for the browser to decode.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEUlEQVR4nGP4zwAEIOI/kAAAG/ID/VxhF44AAAAASUVORK5CYII=', 'base64')

async function seed () {
  const ids = {}
  for (let i = 0; i < TAGGED; i++) {
    const url = `https://shop.example.com/products/42/variant/${i}`
    const created = await service.api('writer', 'POST', '/entries', entry(`GET ${url}`, url,
      { tags: [TAG, 'catalog'], body: JSON.stringify({ product: 42, variant: i, price: { amount: 1999 + i, currency: 'EUR' } }), contentType: 'application/json; charset=utf-8' }))
    assert.equal(created.status, 201, JSON.stringify(created.body))
    ids[url] = created.body.id
  }
  const image = await service.api('writer', 'POST', '/entries', entry('GET https://shop.example.com/img/42.png',
    'https://shop.example.com/img/42.png', { tags: [TAG], body: PNG, contentType: 'image/png' }))
  assert.equal(image.status, 201)
  ids.image = image.body.id
  // A body uploaded as bytes, larger than the console's preview: it must be read with a Range, never whole.
  const key = 'GET https://shop.example.com/exports/42.bin'
  const bytes = Buffer.alloc(200_000, 7)
  const upload = await service.api('writer', 'POST', `/bodies?key=${encodeURIComponent(key)}`, { type: 'application/octet-stream', data: bytes })
  assert.equal(upload.status, 201, JSON.stringify(upload.body))
  const streamed = await service.api('writer', 'POST', '/entries', {
    type: 'application/json',
    data: JSON.stringify({ cacheKey: key, request: { method: 'GET', url: 'https://shop.example.com/exports/42.bin' }, response: { status: 200, headers: { 'content-type': ['application/octet-stream'] }, bodyId: upload.body.id }, tags: [TAG] })
  })
  assert.equal(streamed.status, 201, JSON.stringify(streamed.body))
  ids.streamed = streamed.body.id
  const untouched = await service.api('writer', 'POST', '/entries', entry('GET https://shop.example.com/products/7', 'https://shop.example.com/products/7',
    { tags: ['product-7'], body: 'seven', contentType: 'text/plain' }))
  assert.equal(untouched.status, 201)
  ids.untouched = untouched.body.id
  return ids
}

/** A screenshot of the page (`long`: of what the window shows, the rest being more of the same rows). */
async function shoot (page, name, long = false) {
  if (screenshots) {
    mkdirSync(screenshots, { recursive: true })
    await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: !long })
  }
}

async function adminPage () {
  const context = await browser.newContext({ httpCredentials: { username: 'admin', password: service.password }, viewport: { width: 1200, height: 900 } })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', e => errors.push(e))
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()) })
  return { context, page, errors }
}

before(async () => {
  service = await startService()
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] })
})

after(async () => {
  await browser?.close()
  await service?.stop()
})

test('an operator undoes a mistaken tag invalidation: chart, filters, an entry, the dry-run count, the restore', async () => {
  const ids = await seed()
  const wrong = await service.api('writer', 'DELETE', `/entries?tag=${TAG}`)
  assert.deepEqual(wrong.body, { deleted: TAGGED + 2 })

  const { context, page, errors } = await adminPage()
  await page.goto(new URL('/console', service.baseUrl).href)
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
  // The spike is in the chart, as a link to that hour of the recycle bin, with the grace period's line.
  const spike = page.getByRole('link', { name: new RegExp(`^${TAGGED + 2} deleted in the hour from`) })
  await spike.waitFor()
  // The exact counts fill in after the chart: 33 entries, 32 of them deleted.
  const total = page.getByRole('row', { name: /^total/ })
  await total.waitFor()
  assert.match(await total.innerText(), /^total\s+33\s/)
  assert.match(await page.getByRole('row', { name: /deleted/ }).first().innerText(), /deleted\s+32\s/)
  assert.match(await page.locator('figure figcaption').innerText(), /Grace period PT/)
  await shoot(page, 'overview')

  await spike.click()
  await page.getByRole('heading', { name: 'Recycle bin' }).waitFor()
  await page.getByRole('heading', { name: 'Entries' }).waitFor()
  const rows = page.locator('section[aria-labelledby=results-title] tbody tr')
  await rows.first().waitFor()
  assert.equal(await rows.count(), TAGGED + 2)
  assert.match(await rows.first().innerText(), /deleted\s+.*left/s)
  await shoot(page, 'recycle-bin', true)

  // An entry's page: its JSON body readable.
  await page.getByRole('link', { name: 'GET https://shop.example.com/products/42/variant/3', exact: true }).click()
  await page.getByRole('heading', { name: /^Entry: GET https:\/\/shop.example.com\/products\/42\/variant\/3$/ }).waitFor()
  const body = await page.getByLabel('response body', { exact: true }).innerText()
  assert.deepEqual(JSON.parse(body), { product: 42, variant: 3, price: { amount: 2002, currency: 'EUR' } })
  assert.match(body, /\n {2}"variant": 3/) // pretty-printed
  await shoot(page, 'entry-json')

  // An image is shown as one; a body uploaded as bytes is previewed from a Range, as hexadecimal.
  await page.goto(new URL(`/console#/entry/${ids.image}`, service.baseUrl).href)
  const img = page.getByRole('img', { name: /the response body, an image/ })
  await img.waitFor()
  assert.equal(await img.evaluate(el => el.complete && el.naturalWidth), 2)
  await page.goto(new URL(`/console#/entry/${ids.streamed}`, service.baseUrl).href)
  await page.getByText(/195.3 KiB, application\/octet-stream; the first 64.0 KiB shown \(read with a Range request\)/).waitFor()
  assert.match(await page.getByLabel('response body, hexadecimal').innerText(), /^00000000 {2}07 07 07/)
  await shoot(page, 'entry-bytes')

  // The filter typed, then at most three confirmations: search, count, restore.
  await page.getByRole('link', { name: 'Recycle bin' }).click()
  await page.getByLabel('Tags').fill(TAG)
  let confirmations = 0
  const confirm = async locator => { confirmations++; await locator.click() }
  await confirm(page.getByRole('button', { name: 'Search' }))
  await confirm(page.getByRole('button', { name: 'Count what a restore would take back' }))
  await page.getByText(`${TAGGED + 2} entries can be restored; 0 match but are past their grace period.`).waitFor()
  await shoot(page, 'restore-count', true)
  await confirm(page.getByRole('button', { name: `Restore ${TAGGED + 2} entries` }))
  await page.getByText(`Restored ${TAGGED + 2} entries; 0 were past their grace period.`).waitFor()
  await page.getByText('No entry matches these filters.').waitFor() // the deleted ones, listed again after it
  assert.ok(confirmations <= 3)
  await shoot(page, 'restored')

  // The API shows them live again, and the entry the invalidation did not touch is as it was.
  for (const id of Object.values(ids)) {
    const e = await service.api('reader', 'GET', `/entries/${id}`)
    assert.equal(e.body.state, 'live', `${id}: ${JSON.stringify(e.body)}`)
  }
  assert.equal((await service.api('reader', 'GET', `/entries/${ids.untouched}`)).body.version, 1)
  assert.deepEqual(errors, [])
  await context.close()
})

test('a problem the API answers is shown as its text, naming the field', async () => {
  const { context, page } = await adminPage()
  await page.goto(new URL('/console#/bin?state=deleted&deletedAfter=yesterday', service.baseUrl).href)
  const alert = page.getByRole('alert')
  await alert.waitFor()
  const text = await alert.innerText()
  assert.match(text, /^400 Bad Request: /)
  assert.match(text, /field: deletedAfter/)
  assert.doesNotMatch(text, /Exception|at io\./)
  await context.close()
})

test('a dry run and a pass from the cleanup page show their reports', async () => {
  await service.api('writer', 'DELETE', `/entries?tag=product-7`)
  const { context, page, errors } = await adminPage()
  await page.goto(new URL('/console#/cleanup', service.baseUrl).href)
  await page.getByRole('button', { name: 'Dry run: count what a pass would purge' }).click()
  await page.getByRole('heading', { name: 'Dry run report' }).waitFor()
  assert.match(await page.getByRole('row', { name: /^completed/ }).innerText(), /yes/)
  await page.getByRole('button', { name: 'Run a pass now…' }).click()
  await page.getByRole('button', { name: 'Purge now' }).click()
  await page.getByRole('heading', { name: 'Pass report' }).waitFor()
  await shoot(page, 'cleanup')
  assert.deepEqual(errors, [])
  await context.close()
})

test('the keyboard reaches the skip link, then the navigation, and every control has a label', async () => {
  const { context, page } = await adminPage()
  await page.goto(new URL('/console#/bin?state=deleted', service.baseUrl).href)
  await page.getByRole('heading', { name: 'Entries' }).waitFor()
  await page.keyboard.press('Tab')
  const first = await page.evaluate(() => document.activeElement.textContent)
  await page.keyboard.press('Tab')
  const second = await page.evaluate(() => document.activeElement.textContent)
  assert.deepEqual([first, second], ['Skip to the page', 'Overview'])
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, button, select, textarea')]
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
    .map(el => el.outerHTML))
  assert.deepEqual(unlabelled, [])
  await context.close()
})

test('another role is refused as /admin refuses it, and no credentials get the login challenge', async () => {
  const reader = await browser.newContext({ httpCredentials: { username: 'reader', password: service.password } })
  const page = await reader.newPage()
  const response = await page.goto(new URL('/console', service.baseUrl).href)
  assert.equal(response.status(), 403)
  assert.match(await page.locator('body').innerText(), /your role does not allow GET \/console/)
  await reader.close()
  const anonymous = await fetch(new URL('/console', service.baseUrl))
  assert.equal(anonymous.status, 401)
  assert.match(anonymous.headers.get('www-authenticate'), /^Basic /)
  const script = await fetch(new URL('/console/console.js', service.baseUrl))
  assert.equal(script.status, 401)
})
