export const id = 524;
export const ids = [524];
export const modules = {

/***/ 28524:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EndpointWindowAggregator: () => (/* binding */ EndpointWindowAggregator),
/* harmony export */   OPEN_WINDOWS: () => (/* binding */ OPEN_WINDOWS)
/* harmony export */ });
/* harmony import */ var hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32960);
/* harmony import */ var _json_lines_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9181);
/**
 * Each endpoint's run over time, for the drift judgement (src/verdict/drift.ts): k6's raw JSON output
 * folded, as it arrives, into fixed windows per endpoint (requests, failed requests, p95). Memory
 * stays bounded however long the run: an endpoint keeps a histogram only for its OPEN_WINDOWS latest
 * windows; older ones are closed into three numbers, and a sample arriving for a closed window is
 * counted and left out. Windows count from the earliest sample. Reader: K6PointReader (json-lines.ts).
 */


/** Durations are recorded in whole microseconds. */
const US_PER_MS = 1000;
/** Two significant digits: values within 1 % may share a bucket (as the run's timeline). */
const SIGNIFICANT_DIGITS = 2;
/** Windows an endpoint keeps open: k6 writes samples within about a second of their time. */
const OPEN_WINDOWS = 3;
class OpenWindow {
    histogram = new hdr_histogram_js__WEBPACK_IMPORTED_MODULE_0__.Int32Histogram(1, 2, SIGNIFICANT_DIGITS);
    index = -1;
    requests = 0;
    judged = 0;
    failed = 0;
    constructor() {
        this.histogram.autoResize = true;
    }
    reset(index) {
        this.histogram.reset();
        this.index = index;
        this.requests = 0;
        this.judged = 0;
        this.failed = 0;
    }
}
class EndpointState {
    open = Array.from({ length: OPEN_WINDOWS }, () => new OpenWindow());
    requests = [];
    p95Ms = [];
    errorRatePct = [];
    /** The newest window a sample arrived for. */
    newest = -1;
    /** The open window for `index`, opening it (and closing those OPEN_WINDOWS or more behind it); undefined when already closed. */
    window(index) {
        if (index <= this.newest - OPEN_WINDOWS)
            return undefined;
        if (index > this.newest) {
            this.newest = index;
            for (const w of this.open)
                if (w.index >= 0 && w.index <= index - OPEN_WINDOWS)
                    this.close(w);
        }
        const slot = this.open[index % OPEN_WINDOWS];
        if (slot.index !== index)
            slot.reset(index);
        return slot;
    }
    close(w) {
        while (this.requests.length < w.index) {
            this.requests.push(0);
            this.p95Ms.push(null);
            this.errorRatePct.push(null);
        }
        this.requests[w.index] = w.requests;
        this.p95Ms[w.index] = w.histogram.totalCount > 0 ? round(w.histogram.getValueAtPercentile(95) / US_PER_MS) : null;
        this.errorRatePct[w.index] = w.judged > 0 ? round((w.failed / w.judged) * 100) : null;
        w.index = -1;
    }
    finish(windows) {
        for (const w of [...this.open].filter((o) => o.index >= 0).sort((a, b) => a.index - b.index))
            this.close(w);
        while (this.requests.length < windows) {
            this.requests.push(0);
            this.p95Ms.push(null);
            this.errorRatePct.push(null);
        }
        for (const w of this.open)
            w.histogram.destroy();
    }
}
class EndpointWindowAggregator {
    options;
    byTag = new Map();
    states = [];
    reader = new _json_lines_js__WEBPACK_IMPORTED_MODULE_1__/* .K6PointReader */ .Pj({ metrics: METRICS, tags: true }, (metric, value, timeMs, method, name) => this.addSample(metric, value, timeMs, method, name));
    startMs = null;
    lastIndex = -1;
    late = 0;
    samplesPastEnd = 0;
    constructor(options) {
        this.options = options;
        if (!(options.windowMs > 0))
            throw new RangeError(`windowMs must be positive, got ${options.windowMs}`);
        for (const e of options.endpoints) {
            const state = new EndpointState();
            this.byTag.set(`${e.method} ${e.name}`, state);
            this.states.push({ key: e.key, state });
        }
    }
    write(chunk) {
        this.reader.write(chunk);
    }
    end() {
        this.reader.end();
    }
    /** One decoded sample; samples of names the plan does not send (setup's requests) are left out. */
    addSample(metric, value, timeMs, method, name) {
        if (!Number.isFinite(timeMs) || !Number.isFinite(value))
            return;
        const state = this.byTag.get(`${method} ${name}`);
        if (state === undefined)
            return;
        if (this.startMs === null)
            this.startMs = timeMs;
        const index = Math.max(0, Math.floor((timeMs - this.startMs) / this.options.windowMs));
        if (index >= this.options.maxWindows) {
            this.samplesPastEnd++;
            return;
        }
        const window = state.window(index);
        if (window === undefined) {
            this.late++;
            return;
        }
        if (index > this.lastIndex)
            this.lastIndex = index;
        if (metric === 'http_req_duration') {
            window.histogram.recordValue(Math.max(0, Math.round(value * US_PER_MS)));
            window.requests++;
        }
        else {
            window.judged++;
            if (value !== 0)
                window.failed++;
        }
    }
    /** Every endpoint's windows; call once, after end(). */
    result() {
        const windows = this.lastIndex + 1;
        for (const { state } of this.states)
            state.finish(windows);
        const warnings = [];
        const unreadable = this.reader.unreadable;
        if (unreadable > 0)
            warnings.push(`${unreadable} line(s) of k6's JSON output could not be read and were left out of the drift windows`);
        if (this.late > 0)
            warnings.push(`${this.late} sample(s) arrived after their window had closed and were left out of the drift windows`);
        if (this.samplesPastEnd > 0)
            warnings.push(`${this.samplesPastEnd} sample(s) came after the last drift window and were left out`);
        return {
            windowMs: this.options.windowMs,
            windows,
            endpoints: this.states.map(({ key, state }) => ({ key, requests: state.requests, p95Ms: state.p95Ms, errorRatePct: state.errorRatePct })),
            warnings,
        };
    }
}
const METRICS = new Set(['http_req_duration', 'http_req_failed']);
function round(value) {
    return Math.round(value * 1000) / 1000;
}


/***/ }),

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


/***/ })

};
