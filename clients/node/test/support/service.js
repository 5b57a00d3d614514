import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { request } from 'undici'

const javaClient = fileURLToPath(new URL('../../../java/', import.meta.url))
const jar = fileURLToPath(new URL('../../../../target/quarkus-app/quarkus-run.jar', import.meta.url))

/**
 * The real service, as the Java client's tests run it: the packaged jar on an embedded PostgreSQL, started
 * by the Java client's ServiceLauncher (its test classpath holds the embedded PostgreSQL). It stops when
 * this process closes the launcher's standard input, or dies.
 */
export async function startService () {
  const classpathFile = path.join(javaClient, 'target', 'test-classpath.txt')
  if (!existsSync(jar) || !existsSync(classpathFile)) {
    throw new Error('build the service and the Java client first: ./mvnw -B verify && ' +
      './mvnw -B -f clients/java/pom.xml verify (see clients/node/README.md)')
  }
  const classpath = [path.join(javaClient, 'target', 'test-classes'), path.join(javaClient, 'target', 'classes'),
    readFileSync(classpathFile, 'utf8').trim()].join(path.delimiter)
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java'
  const launcher = spawn(java, ['-cp', classpath, `-Dcachekeeper.jar=${jar}`, 'io.cachekeeper.client.ServiceLauncher'],
    { cwd: javaClient, stdio: ['pipe', 'pipe', 'ignore'] })
  const ready = await new Promise((resolve, reject) => {
    let out = ''
    launcher.stdout.on('data', chunk => {
      out += chunk
      const line = out.split('\n').find(l => l.startsWith('READY '))
      if (line) {
        resolve(line.trim().split(' '))
      }
    })
    launcher.on('exit', code => reject(new Error(`the service launcher exited (${code}): ${out}`)))
  })
  const [, baseUrl, password] = ready
  return {
    baseUrl,
    password,
    /** A call to the service's API as `user`, for the tests' own checks. */
    async api (user, method, apiPath) {
      const response = await request(new URL(apiPath, baseUrl), {
        method,
        headers: { authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'), accept: 'application/json' }
      })
      const text = await response.body.text()
      return { status: response.statusCode, body: text ? JSON.parse(text) : undefined }
    },
    stop () {
      return new Promise(resolve => {
        launcher.once('exit', resolve)
        launcher.stdin.end()
      })
    }
  }
}
