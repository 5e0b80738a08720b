/** The k6 version Perf-Xi is pinned to: the k6-version setting's default and what src/k6/install.ts provides. */
export const K6_VERSION = '1.8.1'
