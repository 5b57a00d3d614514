/**
 * Logs a failure once per burst: when cachekeeper is down, every request would otherwise log the same
 * error. The first failure after a quiet spell is logged; the ones that follow within `quietMs` of each
 * other are counted, and the count is logged with the next failure after a quiet spell or when a call
 * succeeds again.
 */
export class BurstLog {
  #logger
  #quietMs
  #lastFailure = -Infinity
  #suppressed = 0

  constructor (logger, quietMs) {
    this.#logger = logger
    this.#quietMs = quietMs
  }

  /** `what` failed; `outcome` says what the caller got instead (a miss, a response not stored). */
  failure (what, outcome, err) {
    const now = Date.now()
    if (now - this.#lastFailure < this.#quietMs) {
      this.#suppressed++
    } else {
      this.#flush()
      this.#logger.warn(`cachekeeper: ${what} failed (${outcome}): ${describe(err)}` +
        ` (further failures within ${this.#quietMs} ms of each other are counted, not logged)`)
    }
    this.#lastFailure = now
  }

  success () {
    if (this.#suppressed > 0) {
      this.#flush()
      this.#lastFailure = -Infinity
    }
  }

  #flush () {
    if (this.#suppressed > 0) {
      this.#logger.warn(`cachekeeper: ${this.#suppressed} more failures since the last one logged`)
      this.#suppressed = 0
    }
  }
}

function describe (err) {
  if (err?.cause?.code) {
    return `${err.message} (${err.cause.code})`
  }
  return err?.code ? `${err.message} (${err.code})` : String(err?.message ?? err)
}
