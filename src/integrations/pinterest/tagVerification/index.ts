/** Pinterest tag verification (SPEC §9): is `window.pintrk.tagId` set on every page of the site? */
export * from './types.js';
export { classifyPage, countStatuses, formatDuration, isValidTagId, runPassed } from './classify.js';
export { chromiumPath, launchBrowser, CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH, type Browser } from './browser.js';
export { inspectPage, type InspectOptions } from './inspect.js';
export { parseSitemap, sitemapPages, DEFAULT_MAX_PAGES, type SitemapPages } from './sitemap.js';
export {
  checkExpectedTagId, selectPages, verifyPages, verifyTags,
  DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type PageSelection, type VerifyOptions,
} from './verify.js';
export { latestVerification, listVerifications, saveVerification } from './store.js';
export { formatVerification, statusCounts, verdictLine } from './format.js';
