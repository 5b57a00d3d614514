export { CachekeeperCacheStore } from './cachekeeper-cache-store.js'
export { storageKey, variantId } from './entry-mapping.js'
