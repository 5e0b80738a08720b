export const id = 406;
export const ids = [406];
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

/***/ 62406:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_WINDOWS: () => (/* binding */ MAX_WINDOWS),
/* harmony export */   Timeline: () => (/* binding */ Timeline),
/* harmony export */   TimelineAggregator: () => (/* binding */ TimelineAggregator),
/* harmony export */   WINDOW_LENGTHS_MS: () => (/* binding */ WINDOW_LENGTHS_MS),
/* harmony export */   timelineOptionsFor: () => (/* binding */ timelineOptionsFor)
/* harmony export */ });
/* harmony import */ var hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32960);
/* harmony import */ var _json_lines_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9181);
/**
 * The run over time: k6's raw JSON output (`--out json=…`) folded, as it arrives, into fixed windows
 * (requests, failed requests, a latency histogram, the VUs k6 reported) that the stress and spike
 * profiles judge (src/verdict/phase-criteria.ts). Samples are counted, never kept: one small
 * histogram per window, at most MAX_WINDOWS windows. Windows are cut from the test's start, placed
 * on the one-second grid of k6's first `vus` sample. Samples are read by K6PointReader (json-lines.ts).
 * Memory bounds and how the start is found: docs/stress-spike.md ("The run over time").
 */


/** Durations are recorded in whole microseconds. */
const US_PER_MS = 1000;
/** Two significant digits: values within 1 % may share a bucket; ≈ 11 KiB per histogram up to 60 s. */
const SIGNIFICANT_DIGITS = 2;
/** Window lengths to choose from, shortest first: whole seconds a reader can line up with stages. */
const WINDOW_LENGTHS_MS = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000];
/** A test is cut into at most this many windows (a 26 m stress run: 312 windows of 5 s). */
const MAX_WINDOWS = 360;
/** k6 may run past the plan while iterations finish (gracefulStop, gracefulRampDown: 30 s each by default). */
const OVERRUN_MS = 120_000;
/** How far past the earliest sample the start may be put (k6's ticks jitter by milliseconds). */
const GRID_TOLERANCE_MS = 50;
/** Samples waiting for the start at most: past either limit the earliest sample is taken as the start. */
const PENDING_MAX_MS = 2_500;
const PENDING_MAX_SAMPLES = 200_000;
/**
 * The window length for a test planned to last `plannedMs`: the shortest of WINDOW_LENGTHS_MS
 * that cuts it into at most MAX_WINDOWS windows. 1 s up to 6 minutes (a shortened test of seconds
 * still has a window per stage; the default 6 m spike has 360), 5 s for the 26 m stress test.
 */
function timelineOptionsFor(plannedMs) {
    const windowMs = WINDOW_LENGTHS_MS.find((w) => Math.ceil(plannedMs / w) <= MAX_WINDOWS) ?? WINDOW_LENGTHS_MS.at(-1);
    return { windowMs, maxWindows: Math.ceil((plannedMs + OVERRUN_MS) / windowMs) + 1 };
}
class WindowStats {
    histogram = new hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__.Int32Histogram(1, 2, SIGNIFICANT_DIGITS);
    requests = 0;
    durations = 0;
    judged = 0;
    failed = 0;
    vus = null;
    constructor() {
        this.histogram.autoResize = true;
    }
}
/** The windows of one run, read back; span() merges windows' histograms for a stage or a phase. */
class Timeline {
    windowMs;
    startedAtMs;
    windows;
    detail;
    stats;
    warnings;
    constructor(windowMs, 
    /** The test's start as found from k6's samples (epoch ms); null without samples. Windows count from it. */
    startedAtMs, windows, detail, 
    /** Lines read, samples counted, and what could not be used. */
    stats, warnings) {
        this.windowMs = windowMs;
        this.startedAtMs = startedAtMs;
        this.windows = windows;
        this.detail = detail;
        this.stats = stats;
        this.warnings = warnings;
    }
    /** The windows whose middle falls within [fromMs, toMs), taken together. */
    span(fromMs, toMs) {
        const inside = this.windows.filter((w) => {
            const middle = (w.startMs + w.endMs) / 2;
            return middle >= fromMs && middle < toMs;
        });
        const merged = new hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__.Int32Histogram(1, 2, SIGNIFICANT_DIGITS);
        merged.autoResize = true;
        let requests = 0;
        let failed = 0;
        let judged = 0;
        let durationMs = 0;
        let vusMax = null;
        for (const w of inside) {
            const stats = this.detail.get(w.index);
            if (stats && stats.durations > 0)
                merged.add(stats.histogram);
            judged += stats?.judged ?? 0;
            requests += w.requests;
            failed += w.failed;
            durationMs += w.durationMs;
            if (w.vus !== null && (vusMax === null || w.vus > vusMax))
                vusMax = w.vus;
        }
        const result = {
            windows: inside.length,
            requests,
            failed,
            errorRatePct: judged > 0 ? round((failed / judged) * 100) : null,
            p95Ms: merged.totalCount > 0 ? round(merged.getValueAtPercentile(95) / US_PER_MS) : null,
            rps: durationMs > 0 ? round(requests / (durationMs / 1000)) : null,
            vusMax,
        };
        merged.destroy();
        return result;
    }
}
/**
 * Folds k6 samples into windows of time. Feed it raw bytes with {@link write} in any chunking (or
 * decoded samples with {@link addSample}); call {@link end} once k6 has exited; read {@link result}.
 */
class TimelineAggregator {
    options;
    windows = new Map();
    reader = new _json_lines_js__WEBPACK_IMPORTED_MODULE_1__/* .K6PointReader */ .Pj({ metrics: METRICS }, (metric, value, timeMs) => this.addSample(metric, value, timeMs));
    /** The test's start (epoch ms), once known; until then samples wait in `pending`. */
    startMs = null;
    earliestMs = Infinity;
    lastMs = -Infinity;
    pending = [];
    samples = 0;
    samplesPastEnd = 0;
    constructor(options) {
        this.options = options;
        if (!(options.windowMs > 0))
            throw new RangeError(`windowMs must be positive, got ${options.windowMs}`);
    }
    write(chunk) {
        this.reader.write(chunk);
    }
    /** The end of k6's output: a last line without a newline is read. */
    end() {
        this.reader.end();
        if (this.startMs === null && this.pending.length > 0)
            this.start(this.earliestMs);
    }
    /** One sample, already decoded: the metric's name, its value, its time (epoch ms). */
    addSample(metric, value, timeMs) {
        if (!Number.isFinite(timeMs) || !Number.isFinite(value))
            return;
        if (timeMs > this.lastMs)
            this.lastMs = timeMs;
        if (this.startMs !== null)
            return this.record(metric, value, timeMs);
        if (timeMs < this.earliestMs)
            this.earliestMs = timeMs;
        this.pending.push({ metric, value, timeMs });
        if (this.options.awaitStart)
            return;
        if (metric === 'vus') {
            // The latest point of the vus sample's one-second grid that is not after the earliest sample.
            const ticks = Math.max(0, Math.ceil((timeMs - this.earliestMs - GRID_TOLERANCE_MS) / 1000));
            this.start(timeMs - ticks * 1000);
        }
        else if (timeMs - this.earliestMs > PENDING_MAX_MS || this.pending.length >= PENDING_MAX_SAMPLES) {
            this.start(this.earliestMs);
        }
    }
    /** Windows count from `startMs` (epoch ms), with awaitStart; the samples waiting are placed. */
    startAt(startMs) {
        if (this.startMs === null)
            this.start(startMs);
    }
    /** The windows as a shard stores them (src/shards/shard-file.ts); call after end(). */
    state() {
        return {
            window_ms: this.options.windowMs,
            start_ms: this.startMs,
            last_ms: Number.isFinite(this.lastMs) ? this.lastMs : null,
            windows: [...this.windows.entries()].map(([index, w]) => ({
                index,
                histogram: hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__.encodeIntoCompressedBase64(w.histogram),
                requests: w.requests,
                durations: w.durations,
                judged: w.judged,
                failed: w.failed,
                vus: w.vus,
            })),
            samples: this.samples,
            samples_past_end: this.samplesPastEnd,
        };
    }
    /**
     * The shards' windows added up: they share one start (the agreed one), so window i of every
     * shard is the same stretch of time; the VUs of a window are the sum of the shards' VUs.
     */
    static merged(states, options) {
        const merged = new TimelineAggregator(options);
        for (const state of states) {
            if (state.start_ms !== null && merged.startMs === null)
                merged.startMs = state.start_ms;
            if (state.last_ms !== null && state.last_ms > merged.lastMs)
                merged.lastMs = state.last_ms;
            merged.samples += state.samples;
            merged.samplesPastEnd += state.samples_past_end;
            for (const w of state.windows) {
                let window = merged.windows.get(w.index);
                if (window === undefined)
                    merged.windows.set(w.index, (window = new WindowStats()));
                window.histogram.add(hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__.decodeFromCompressedBase64(w.histogram, 32, false));
                window.requests += w.requests;
                window.durations += w.durations;
                window.judged += w.judged;
                window.failed += w.failed;
                if (w.vus !== null)
                    window.vus = (window.vus ?? 0) + w.vus;
            }
        }
        return merged;
    }
    start(startMs) {
        this.startMs = startMs;
        const waiting = this.pending;
        this.pending = [];
        for (const s of waiting)
            this.record(s.metric, s.value, s.timeMs);
    }
    record(metric, value, timeMs) {
        const sinceStart = timeMs - this.startMs;
        const { windowMs } = this.options;
        // A `vus` tick on a window's end (give or take a millisecond) tells the VUs of the window it
        // closes. A sample stamped before the start (a tick's jitter) joins the first window.
        const index = Math.max(0, metric === 'vus' ? Math.ceil((sinceStart - GRID_TOLERANCE_MS) / windowMs) - 1 : Math.floor(sinceStart / windowMs));
        if (index >= this.options.maxWindows) {
            this.samplesPastEnd++;
            return;
        }
        let window = this.windows.get(index);
        if (window === undefined) {
            window = new WindowStats();
            this.windows.set(index, window);
        }
        this.samples++;
        switch (metric) {
            case 'http_reqs':
                window.requests += value;
                return;
            case 'http_req_duration':
                window.histogram.recordValue(Math.max(0, Math.round(value * US_PER_MS)));
                window.durations++;
                return;
            case 'http_req_failed':
                window.judged++;
                if (value !== 0)
                    window.failed++;
                return;
            case 'vus':
                if (window.vus === null || value > window.vus)
                    window.vus = value;
                return;
        }
    }
    /** The windows so far, in order, gaps (no sample at all) included as empty windows. */
    result() {
        const { windowMs } = this.options;
        const warnings = [];
        const unreadable = this.reader.unreadable;
        if (unreadable > 0)
            warnings.push(`${unreadable} line(s) of k6's JSON output could not be read and were left out of the timeline`);
        if (this.samplesPastEnd > 0)
            warnings.push(`${this.samplesPastEnd} sample(s) came more than ${Math.round((this.options.maxWindows * windowMs) / 1000)} s after the test started and were left out of the timeline`);
        const stats = { lines: this.reader.lines, samples: this.samples, samplesPastEnd: this.samplesPastEnd };
        if (this.startMs === null || this.windows.size === 0)
            return new Timeline(windowMs, null, [], new Map(), stats, warnings);
        const count = Math.max(...this.windows.keys()) + 1;
        const ranMs = this.lastMs - this.startMs;
        const windows = [];
        for (let index = 0; index < count; index++) {
            const w = this.windows.get(index);
            // The last window lasts as long as k6 ran into it; never less than a millisecond.
            const durationMs = index === count - 1 ? Math.max(1, Math.min(windowMs, ranMs - index * windowMs)) : windowMs;
            const requests = w ? (w.requests > 0 ? w.requests : w.durations) : 0;
            windows.push({
                index,
                startMs: index * windowMs,
                endMs: (index + 1) * windowMs,
                durationMs,
                requests,
                failed: w?.failed ?? 0,
                errorRatePct: w && w.judged > 0 ? round((w.failed / w.judged) * 100) : null,
                p95Ms: w && w.durations > 0 ? round(w.histogram.getValueAtPercentile(95) / US_PER_MS) : null,
                rps: round(requests / (durationMs / 1000)),
                vus: w?.vus ?? null,
            });
        }
        return new Timeline(windowMs, this.startMs, windows, this.windows, stats, warnings);
    }
}
const METRICS = new Set(['http_reqs', 'http_req_duration', 'http_req_failed', 'vus']);
function round(value) {
    return Math.round(value * 1000) / 1000;
}


/***/ })

};
