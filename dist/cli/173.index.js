export const id = 173;
export const ids = [173];
export const modules = {

/***/ 9181:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pj: () => (/* binding */ K6PointReader)
/* harmony export */ });
/* unused harmony exports MAX_LINE_BYTES, LineSplitter, MetricFilter */
/**
 * The one reader of k6's raw JSON output (`--out json=…`), which arrives in chunks of any size, cut
 * anywhere. LineSplitter hands each line over as a view of the chunk (no copy, no string) and keeps
 * nothing but the partial line at a chunk's end, so memory stays flat however long the run; a line
 * longer than any k6 writes is dropped (and counted). K6PointReader picks the samples of the wanted
 * metrics from those lines, for the streamed SLIs and the timeline alike.
 */
/** k6 never writes a line this long; a longer one is dropped rather than buffered. */
const MAX_LINE_BYTES = 1024 * 1024;
const EMPTY = Buffer.alloc(0);
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
class LineSplitter {
    onLine;
    maxLineBytes;
    rest = EMPTY;
    skipping = false;
    /** Lines read so far, dropped ones included. */
    lines = 0;
    /** Lines longer than MAX_LINE_BYTES, dropped. */
    dropped = 0;
    constructor(onLine, maxLineBytes = MAX_LINE_BYTES) {
        this.onLine = onLine;
        this.maxLineBytes = maxLineBytes;
    }
    /** A chunk of output; lines may span chunks. The chunk is not kept after the call. */
    write(chunk) {
        let start = 0;
        if (this.skipping) {
            // Inside a line too long to keep: drop bytes up to its end.
            const nl = chunk.indexOf(NEWLINE);
            if (nl === -1)
                return;
            this.skipping = false;
            start = nl + 1;
        }
        else if (this.rest.length > 0) {
            // Finish the line the last chunk began: only that line is copied, never the whole chunk.
            const nl = chunk.indexOf(NEWLINE);
            if (nl === -1) {
                if (this.rest.length + chunk.length > this.maxLineBytes)
                    this.dropLongLine();
                else
                    this.rest = Buffer.concat([this.rest, chunk]);
                return;
            }
            const joined = Buffer.concat([this.rest, chunk.subarray(0, nl)]);
            this.rest = EMPTY;
            this.line(joined, 0, joined.length);
            start = nl + 1;
        }
        for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
            this.line(chunk, start, nl);
            start = nl + 1;
        }
        // Copy the partial last line: holding a view would keep the whole chunk alive.
        this.rest = start < chunk.length ? Buffer.from(chunk.subarray(start)) : EMPTY;
    }
    /** The end of the output: a last line without a newline is handed over. */
    end() {
        this.skipping = false;
        if (this.rest.length === 0)
            return;
        const last = this.rest;
        this.rest = EMPTY;
        this.line(last, 0, last.length);
    }
    dropLongLine() {
        this.dropped++;
        this.lines++;
        this.skipping = true;
        this.rest = EMPTY;
    }
    line(buf, start, end) {
        this.lines++;
        if (end > start && buf[end - 1] === CARRIAGE_RETURN)
            end--;
        this.onLine(buf, start, end);
    }
}
const QUOTE = 0x22;
const POINT_PREFIX = Buffer.from('{"metric":"', 'latin1');
/**
 * Picks k6's sample lines by metric name from the raw bytes, before any decoding: most lines of a
 * run are metrics a reader does not want, and decoding each one would cost more than the reading.
 */
class MetricFilter {
    wanted;
    firstBytes;
    longest;
    /** What a wanted metric's line starts with, up to its time: `{"metric":"…","type":"Point","data":{"time":"`. */
    pointPrefix;
    constructor(wanted) {
        this.wanted = wanted;
        this.firstBytes = new Set([...wanted].map((m) => m.charCodeAt(0)));
        this.longest = Math.max(...[...wanted].map((m) => m.length));
        this.pointPrefix = new Map([...wanted].map((m) => [m, `{"metric":"${m}","type":"Point","data":{"time":"`]));
    }
    /** The metric of a line `{"metric":"<name>",…` when it is a wanted one; undefined for any other line. */
    metricOf(buf, start, end) {
        // Cheap rejection on single bytes first: the `m` of "metric", its `:`, the name's first letter.
        const nameStart = start + POINT_PREFIX.length;
        if (end - nameStart < 8 || buf[start + 2] !== 0x6d || buf[start + 9] !== 0x3a || !this.firstBytes.has(buf[nameStart]))
            return undefined;
        const nameEnd = buf.indexOf(QUOTE, nameStart);
        if (nameEnd === -1 || nameEnd > end || nameEnd - nameStart > this.longest)
            return undefined;
        if (buf.compare(POINT_PREFIX, 0, POINT_PREFIX.length, start, nameStart) !== 0)
            return undefined;
        const metric = buf.toString('latin1', nameStart, nameEnd);
        return this.wanted.has(metric) ? metric : undefined;
    }
}
const COMMA = 0x2c;
const CLOSING_BRACE = 0x7d;
/**
 * Samples from k6's JSON output, one grammar (k6 v1; each line one object):
 *   {"type":"Metric","data":{…},"metric":"<name>"}                         a metric's definition: skipped
 *   {"metric":"<name>","type":"Point","data":{"time":"<RFC 3339>","value":<n>,"tags":{…}}}   a sample
 * Lines exactly as k6 writes them are read with string searches (about twice as fast as JSON.parse);
 * anything else (escapes, metadata, another key order) goes through JSON.parse.
 */
class K6PointReader {
    onPoint;
    splitter = new LineSplitter((buf, start, end) => this.line(buf, start, end));
    filter;
    timed;
    tags;
    failureMetric;
    extraNames;
    /** `"<tag>":"` of each extra tag, searched for in a line. */
    extraKeys;
    noExtra;
    badLines = 0;
    lastTimeText = '';
    lastTimeMs = Number.NaN;
    constructor(options, onPoint) {
        this.onPoint = onPoint;
        this.filter = new MetricFilter(options.metrics);
        this.timed = options.timed ?? options.metrics;
        this.tags = options.tags ?? false;
        this.failureMetric = options.failureMetric;
        this.extraKeys = (options.extraTags ?? []).map((key) => `"${key}":"`);
        this.noExtra = this.extraKeys.map(() => undefined);
        this.extraNames = options.extraTags ?? [];
    }
    /** A chunk of output; lines may span chunks. The chunk is not kept after the call. */
    write(chunk) {
        this.splitter.write(chunk);
    }
    /** The end of the output: a last line without a newline is read. */
    end() {
        this.splitter.end();
    }
    /** Lines read so far, every metric's. */
    get lines() {
        return this.splitter.lines;
    }
    /** Lines of a wanted metric that were not JSON, and lines too long to read. */
    get unreadable() {
        return this.badLines + this.splitter.dropped;
    }
    line(buf, start, end) {
        const metric = this.filter.metricOf(buf, start, end);
        if (metric === undefined)
            return;
        const text = buf.toString('utf8', start, end);
        if (!this.fastLine(text, metric))
            this.slowLine(text, metric);
    }
    /** {"metric":"…","type":"Point","data":{"time":"…","value":N,"tags":{"k":"v",…}}} with no escape sequence and no metadata; false for anything else. */
    fastLine(text, metric) {
        const prefix = this.filter.pointPrefix.get(metric);
        if (!text.startsWith(prefix))
            return false;
        const timeEnd = text.indexOf('"', prefix.length);
        if (timeEnd === -1 || !text.startsWith('","value":', timeEnd))
            return false;
        const valueStart = timeEnd + 10;
        let valueEnd = valueStart;
        while (valueEnd < text.length && text.charCodeAt(valueEnd) !== COMMA && text.charCodeAt(valueEnd) !== CLOSING_BRACE)
            valueEnd++;
        const raw = text.slice(valueStart, valueEnd);
        const value = Number(raw);
        if (raw === '' || !Number.isFinite(value))
            return false;
        let method = '';
        let name = '';
        let failure;
        let extra = this.noExtra;
        if (this.tags) {
            if (!text.startsWith(',"tags":{', valueEnd) || !text.endsWith('}}}'))
                return false;
            const tagsStart = valueEnd + 9;
            if (text.includes('\\', tagsStart) || text.includes('"metadata":', tagsStart))
                return false;
            // Without escapes every quote is structural, so `"name":"` can only be that key.
            method = tagValue(text, '"method":"', tagsStart) ?? '';
            name = tagValue(text, '"name":"', tagsStart) || tagValue(text, '"url":"', tagsStart) || '';
            // Only failed requests pay for two more searches.
            if (value !== 0 && metric === this.failureMetric) {
                failure = { status: tagValue(text, '"status":"', tagsStart) ?? '', errorCode: tagValue(text, '"error_code":"', tagsStart) ?? '' };
            }
            if (this.extraKeys.length > 0)
                extra = this.extraKeys.map((key) => tagValue(text, key, tagsStart));
        }
        let timeMs = Number.NaN;
        if (this.timed.has(metric)) {
            // A request's samples share one time: parse it once.
            const timeText = text.slice(prefix.length, timeEnd);
            if (timeText !== this.lastTimeText) {
                this.lastTimeText = timeText;
                this.lastTimeMs = Date.parse(timeText);
            }
            if (!Number.isFinite(this.lastTimeMs))
                return false;
            timeMs = this.lastTimeMs;
        }
        if (this.extraKeys.length > 0)
            this.onPoint(metric, value, timeMs, method, name, failure, extra);
        else
            this.onPoint(metric, value, timeMs, method, name, failure);
        return true;
    }
    slowLine(line, metric) {
        let sample;
        try {
            sample = JSON.parse(line);
        }
        catch {
            this.badLines++;
            return;
        }
        const point = sample;
        if (point.type !== 'Point' || typeof point.data?.value !== 'number')
            return;
        const timeMs = this.timed.has(metric) && typeof point.data.time === 'string' ? Date.parse(point.data.time) : Number.NaN;
        const tags = this.tags ? (point.data.tags ?? {}) : {};
        const failure = this.tags && point.data.value !== 0 && metric === this.failureMetric
            ? { status: String(tags.status ?? ''), errorCode: String(tags.error_code ?? '') }
            : undefined;
        const args = [metric, point.data.value, timeMs, tags.method ?? '', tags.name || tags.url || '', failure];
        if (this.extraNames.length > 0)
            this.onPoint(...args, this.extraNames.map((key) => tags[key]));
        else
            this.onPoint(...args);
    }
}
function tagValue(text, key, from) {
    const at = text.indexOf(key, from);
    if (at === -1)
        return undefined;
    const valueEnd = text.indexOf('"', at + key.length);
    return valueEnd === -1 ? undefined : text.slice(at + key.length, valueEnd);
}


/***/ }),

/***/ 26173:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_MAX_ENDPOINTS: () => (/* binding */ DEFAULT_MAX_ENDPOINTS),
/* harmony export */   OVERFLOW_NAME: () => (/* binding */ OVERFLOW_NAME),
/* harmony export */   SliAggregator: () => (/* binding */ SliAggregator),
/* harmony export */   Stats: () => (/* binding */ Stats),
/* harmony export */   endpointKey: () => (/* binding */ endpointKey),
/* harmony export */   planFailures: () => (/* binding */ planFailures),
/* harmony export */   planSlis: () => (/* binding */ planSlis)
/* harmony export */ });
/* harmony import */ var hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32960);
/* harmony import */ var _sample_minimums_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(32211);
/* harmony import */ var _sli_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(92477);
/* harmony import */ var _json_lines_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9181);
/* harmony import */ var _analyst_failure_counts_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(82161);
/**
 * Streaming SLIs: k6's raw JSON output (`k6 run --out json=…`, one sample per line) folded, as it
 * arrives, into one HDR histogram of http_req_duration per endpoint plus counters of http_reqs and
 * http_req_failed; memory stays flat however long the run is, and the result has computeSlis' shape
 * (src/sli.ts). Only the Point lines it needs are read (K6PointReader, json-lines.ts); the
 * endpoint key is "METHOD name" from the sample's tags; percentiles follow k6's definition.
 * Line grammar, endpoint keys, precision: docs/large-plans.md ("The aggregator").
 */





/** Durations are recorded in integer nanoseconds (k6 measures in ns and reports ms). */
const NS_PER_MS = 1e6;
/** HDR's resolution: values within 10^-3 of each other may share a bucket. */
const SIGNIFICANT_DIGITS = 3;
/** Endpoints beyond this many distinct keys are counted under one overflow key per method. */
const DEFAULT_MAX_ENDPOINTS = 500;
/** The statistics of one endpoint (or of the whole run): counters, exact extremes, one histogram. */
class Stats {
    histogram = new hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__.Int32Histogram(1, 2, SIGNIFICANT_DIGITS);
    requests = 0;
    durations = 0;
    sumMs = 0;
    minMs = Infinity;
    maxMs = -Infinity;
    failedTotal = 0;
    failedMatches = 0;
    /** Redirect hops among the requests, and the whole wait of each call that redirected (REDIRECT_METRICS). */
    hops = 0;
    redirected;
    /** Failed requests by kind (failureCode), when any failed. */
    failureKinds;
    constructor() {
        this.histogram.autoResize = true;
    }
    addDuration(ms) {
        this.histogram.recordValue(Math.max(0, Math.round(ms * NS_PER_MS)));
        this.durations++;
        this.sumMs += ms;
        if (ms < this.minMs)
            this.minMs = ms;
        if (ms > this.maxMs)
            this.maxMs = ms;
    }
    addFailed(value, failure) {
        this.failedTotal++;
        if (value !== 0)
            this.failedMatches++;
        if (failure) {
            const code = (0,_analyst_failure_counts_js__WEBPACK_IMPORTED_MODULE_4__/* .failureCode */ .AD)(failure.status, failure.errorCode);
            this.failureKinds ??= new Map();
            this.failureKinds.set(code, (this.failureKinds.get(code) ?? 0) + 1);
        }
    }
    /** The statistics as a shard stores them (src/shards/shard-file.ts). */
    toState() {
        return {
            histogram: hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__.encodeIntoCompressedBase64(this.histogram),
            requests: this.requests,
            durations: this.durations,
            sum_ms: this.sumMs,
            min_ms: this.durations > 0 ? this.minMs : null,
            max_ms: this.durations > 0 ? this.maxMs : null,
            failed_total: this.failedTotal,
            failed_matches: this.failedMatches,
            hops: this.hops,
            ...(this.redirected ? { redirected: this.redirected.toState() } : {}),
            ...(this.failureKinds ? { failure_kinds: Object.fromEntries(this.failureKinds) } : {}),
        };
    }
    /** Adds another shard's statistics: bucket counts and counters add, extremes combine, so the result equals one Stats fed every sample. */
    addState(state) {
        // Decoded without WebAssembly with 32-bit buckets: the same class as this.histogram.
        this.histogram.add(hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__.decodeFromCompressedBase64(state.histogram, 32, false));
        this.requests += state.requests;
        this.durations += state.durations;
        this.sumMs += state.sum_ms;
        if (state.min_ms !== null && state.min_ms < this.minMs)
            this.minMs = state.min_ms;
        if (state.max_ms !== null && state.max_ms > this.maxMs)
            this.maxMs = state.max_ms;
        this.failedTotal += state.failed_total;
        this.failedMatches += state.failed_matches;
        this.hops += state.hops;
        if (state.redirected)
            (this.redirected ??= new Stats()).addState(state.redirected);
        for (const [code, count] of Object.entries(state.failure_kinds ?? {})) {
            this.failureKinds ??= new Map();
            this.failureKinds.set(code, (this.failureKinds.get(code) ?? 0) + count);
        }
    }
    toSli(measuredMs) {
        // http_reqs is the request count; a script that removed it from the output still has durations.
        // Redirect hops are no calls of their own and never failed (src/sli.ts, REDIRECT_METRICS).
        const requests = (0,_sli_js__WEBPACK_IMPORTED_MODULE_2__/* .callsOf */ .p9)(this.requests > 0 ? this.requests : this.durations, this.hops);
        if (requests === 0) {
            return { requests: 0, rps: 0, avg_ms: null, p50_ms: null, p90_ms: null, p95_ms: null, p99_ms: null, max_ms: null, error_rate_pct: null };
        }
        // Every call redirected: its latency is the whole wait; some did: all answers, as computeSlis.
        const timed = this.redirected !== undefined && this.redirected.durations === requests ? this.redirected : this;
        const [p50, p90, p95, p99] = timed.quantiles([0.5, 0.9, 0.95, 0.99]);
        const judged = this.failedTotal - Math.min(this.hops, this.failedTotal);
        return {
            requests,
            rps: measuredMs > 0 ? round(requests / (measuredMs / 1000)) : null,
            avg_ms: timed.durations > 0 ? round(timed.sumMs / timed.durations) : null,
            p50_ms: p50,
            p90_ms: p90,
            p95_ms: p95,
            p99_ms: p99,
            max_ms: timed.durations > 0 ? round(timed.maxMs) : null,
            error_rate_pct: judged > 0 ? round((this.failedMatches / judged) * 100) : null,
        };
    }
    /**
     * k6's percentile: i = q·(n−1), then the values at ranks ⌊i⌋ and ⌈i⌉ (0-based, ascending)
     * interpolated linearly. Ranks are read from the histogram in one pass over its buckets, each as
     * its bucket's middle, clamped to the exact min and max.
     */
    quantiles(qs) {
        const n = this.durations;
        if (n === 0)
            return qs.map(() => null);
        const wanted = qs.flatMap((q) => {
            const i = q * (n - 1);
            return [Math.floor(i), Math.ceil(i)];
        });
        const ranks = [...new Set(wanted)].sort((a, b) => a - b);
        const valueAt = new Map();
        const h = this.histogram;
        let next = 0;
        let seen = 0;
        for (let index = 0; index < h.countsArrayLength && next < ranks.length; index++) {
            const count = h.getCountAtIndex(index);
            if (count === 0)
                continue;
            seen += count;
            const middleMs = h.medianEquivalentValue(h.valueFromIndex(index)) / NS_PER_MS;
            while (next < ranks.length && ranks[next] < seen) {
                const rank = ranks[next];
                const exact = rank === 0 ? this.minMs : rank === n - 1 ? this.maxMs : Math.min(this.maxMs, Math.max(this.minMs, middleMs));
                valueAt.set(rank, exact);
                next++;
            }
        }
        return qs.map((q) => {
            const i = q * (n - 1);
            const lo = valueAt.get(Math.floor(i));
            const hi = valueAt.get(Math.ceil(i));
            if (lo === undefined || hi === undefined)
                return null;
            return round(lo + (hi - lo) * (i - Math.floor(i)));
        });
    }
}
/**
 * Folds k6 samples into per-endpoint statistics. Feed it raw bytes of k6's JSON output with
 * {@link SliAggregator.write} in any chunking; call {@link SliAggregator.endRun} after each k6
 * process so the time it measured is added to the rps denominator; read {@link SliAggregator.result}.
 */
class SliAggregator {
    endpoints = new Map();
    total = new Stats();
    maxEndpoints;
    knownKeys;
    overflowSamples = 0;
    reader = new _json_lines_js__WEBPACK_IMPORTED_MODULE_3__/* .K6PointReader */ .Pj({ metrics: METRICS, timed: TIMED, tags: true, failureMetric: 'http_req_failed' }, (metric, value, timeMs, method, name, failure) => this.add(metric, value, method, name, timeMs, failure));
    runFirstMs = Infinity;
    runLastMs = -Infinity;
    /** The span of every sample seen, across runs (a shard's part of a sharded run). */
    spanFirstMs = Infinity;
    spanLastMs = -Infinity;
    measuredMs = 0;
    vusMax = null;
    samples = 0;
    constructor(options = {}) {
        this.maxEndpoints = options.maxEndpoints ?? DEFAULT_MAX_ENDPOINTS;
        this.knownKeys = options.endpoints && new Set(options.endpoints.map((e) => keyOf(e.method, e.name)));
    }
    /** A chunk of k6's JSON output; lines may span chunks. The chunk is not kept after the call. */
    write(chunk) {
        this.reader.write(chunk);
    }
    /** The end of one k6 run's output: a last line without a newline is read, the run's time span is added. */
    endRun() {
        this.reader.end();
        this.spanFirstMs = Math.min(this.spanFirstMs, this.runFirstMs);
        this.spanLastMs = Math.max(this.spanLastMs, this.runLastMs);
        if (this.runLastMs > this.runFirstMs)
            this.measuredMs += this.runLastMs - this.runFirstMs;
        this.runFirstMs = Infinity;
        this.runLastMs = -Infinity;
    }
    /** HTTP requests counted so far (http_reqs), all runs. */
    get requests() {
        return this.total.requests;
    }
    /** One sample, already decoded (the JSON path calls this; tests and other decoders may too). */
    addSample(metric, value, tags, timeMs) {
        this.add(metric, value, tags.method ?? '', tags.name || tags.url || '', timeMs);
    }
    add(metric, value, method, name, timeMs, failure) {
        if (timeMs !== undefined && Number.isFinite(timeMs)) {
            if (timeMs < this.runFirstMs)
                this.runFirstMs = timeMs;
            if (timeMs > this.runLastMs)
                this.runLastMs = timeMs;
        }
        switch (metric) {
            case 'vus_max':
                if (this.vusMax === null || value > this.vusMax)
                    this.vusMax = value;
                return;
            case 'iteration_duration':
                // Stamped when the iteration ended: it began `value` ms earlier, which brings the span
                // close to the test's duration as k6 counts it (its http_reqs rate).
                if (timeMs !== undefined && Number.isFinite(timeMs) && timeMs - value < this.runFirstMs)
                    this.runFirstMs = timeMs - value;
                return;
        }
        const stats = this.statsFor(method, name);
        this.samples++;
        switch (metric) {
            case 'http_req_duration':
                stats?.addDuration(value);
                this.total.addDuration(value);
                return;
            case 'http_reqs':
                if (stats)
                    stats.requests += value;
                this.total.requests += value;
                return;
            case 'http_req_failed':
                stats?.addFailed(value, failure);
                this.total.addFailed(value);
                return;
            case _sli_js__WEBPACK_IMPORTED_MODULE_2__/* .REDIRECT_METRICS */ .Ly.hops:
                if (stats)
                    stats.hops += value;
                this.total.hops += value;
                return;
            case _sli_js__WEBPACK_IMPORTED_MODULE_2__/* .REDIRECT_METRICS */ .Ly.duration:
                if (stats)
                    (stats.redirected ??= new Stats()).addDuration(value);
                (this.total.redirected ??= new Stats()).addDuration(value);
                return;
        }
    }
    result() {
        const endpoints = [...this.endpoints.entries()]
            .map(([key, { method, stats }]) => ({ endpoint: key, method, ...stats.toSli(this.measuredMs) }))
            .sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
        const warnings = [];
        if (this.overflowSamples > 0) {
            warnings.push(`more than ${this.maxEndpoints} distinct endpoints (method + name tag): ${this.overflowSamples} samples were counted under "(other endpoints)"; ` +
                `give requests whose URLs carry ids a name tag ({ tags: { name: '/users/{id}' } }) or use http.url\`\``);
        }
        const unreadable = this.reader.unreadable;
        if (unreadable > 0)
            warnings.push(`${unreadable} line(s) of k6's JSON output could not be read and were skipped`);
        return {
            endpoints,
            total: { ...this.total.toSli(this.measuredMs), vus_max: this.vusMax },
            measuredMs: this.measuredMs,
            lines: this.reader.lines,
            samples: this.samples,
            warnings,
            failures: [...this.endpoints.entries()].flatMap(([endpoint, { stats }]) => stats.failureKinds ? [{ endpoint, errors: [...stats.failureKinds].map(([code, count]) => ({ code, count, retry_after: 0 })) }] : []),
        };
    }
    /** Everything counted so far, in the shard file's form (call after endRun). */
    state() {
        return {
            endpoints: [...this.endpoints.entries()].map(([key, { method, stats }]) => ({ key, method, stats: stats.toState() })),
            total: this.total.toState(),
            first_ms: Number.isFinite(this.spanFirstMs) ? this.spanFirstMs : null,
            last_ms: Number.isFinite(this.spanLastMs) ? this.spanLastMs : null,
            vus_max: this.vusMax,
            samples: this.samples,
            overflow_samples: this.overflowSamples,
        };
    }
    /**
     * The shards of one run merged, as one aggregator that saw all their samples: the shards ran at
     * the same time, so the measured time is the span from the first shard's first sample to the
     * last one's last, and the concurrent VUs add up.
     */
    static merged(states, options = {}) {
        const merged = new SliAggregator(options);
        let first = Infinity;
        let last = -Infinity;
        for (const state of states) {
            for (const e of state.endpoints) {
                let entry = merged.endpoints.get(e.key);
                if (entry === undefined)
                    merged.endpoints.set(e.key, (entry = { method: e.method, stats: new Stats() }));
                entry.stats.addState(e.stats);
            }
            merged.total.addState(state.total);
            if (state.first_ms !== null)
                first = Math.min(first, state.first_ms);
            if (state.last_ms !== null)
                last = Math.max(last, state.last_ms);
            if (state.vus_max !== null)
                merged.vusMax = (merged.vusMax ?? 0) + state.vus_max;
            merged.samples += state.samples;
            merged.overflowSamples += state.overflow_samples;
        }
        if (last > first)
            merged.measuredMs = last - first;
        merged.spanFirstMs = first;
        merged.spanLastMs = last;
        return merged;
    }
    /** The endpoint's statistics; undefined for a name outside a plan's known endpoints. */
    statsFor(method, name) {
        let key = keyOf(method, name);
        if (this.knownKeys !== undefined && !this.knownKeys.has(key))
            return undefined;
        let entry = this.endpoints.get(key);
        if (entry === undefined) {
            if (this.endpoints.size >= this.maxEndpoints) {
                this.overflowSamples++;
                key = keyOf(method, OVERFLOW_NAME);
                entry = this.endpoints.get(key);
            }
            if (entry === undefined) {
                entry = { method, stats: new Stats() };
                this.endpoints.set(key, entry);
            }
        }
        return entry.stats;
    }
}
/**
 * A generated plan's SLIs from its streamed samples: each planned endpoint by its name tag (the
 * plan's metricName), in the plan's order, those without a sample as zero requests; the whole run
 * as streamed; percentiles from too few samples taken out (src/sample-minimums.ts). Samples of other names (none in a generated script) count in the whole run only.
 */
function planSlis(streamed, endpoints) {
    const byKey = new Map(streamed.endpoints.map((e) => [e.endpoint, e]));
    return {
        endpoints: endpoints.map((e) => {
            const sli = byKey.get(keyOf(e.method, e.metricName));
            return (0,_sample_minimums_js__WEBPACK_IMPORTED_MODULE_1__/* .withSampleMinimums */ .Uu)({ ...(sli ?? new Stats().toSli(0)), endpoint: e.key, method: e.method }, sli?.requests ?? 0);
        }),
        total: (0,_sample_minimums_js__WEBPACK_IMPORTED_MODULE_1__/* .withSampleMinimums */ .Uu)(streamed.total, streamed.total.requests),
    };
}
/** A generated plan's failures from its streamed samples, keyed by the plan's endpoint keys (as planSlis). */
function planFailures(streamed, endpoints) {
    const byKey = new Map(streamed.failures.map((f) => [f.endpoint, f.errors]));
    return endpoints.flatMap((e) => {
        const errors = byKey.get(keyOf(e.method, e.metricName));
        return errors ? [{ endpoint: e.key, errors }] : [];
    });
}
function keyOf(method, name) {
    const shown = name || '(no name)';
    return method ? `${method} ${shown}` : shown;
}
/** "METHOD name": the `name` tag, which k6 sets to the URL when the script sets none. */
function endpointKey(tags) {
    return keyOf(tags.method ?? '', tags.name || tags.url || '');
}
const OVERFLOW_NAME = '(other endpoints)';
const METRICS = new Set([
    'http_reqs',
    'http_req_duration',
    'http_req_failed',
    'vus_max',
    'iteration_duration',
    _sli_js__WEBPACK_IMPORTED_MODULE_2__/* .REDIRECT_METRICS */ .Ly.hops,
    _sli_js__WEBPACK_IMPORTED_MODULE_2__/* .REDIRECT_METRICS */ .Ly.duration,
]);
/** Metrics whose sample time is read: enough to know when each run began and ended. */
const TIMED = new Set(['http_reqs', 'vus_max', 'iteration_duration']);
function round(value) {
    return Math.round(value * 1000) / 1000;
}


/***/ })

};
