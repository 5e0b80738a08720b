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


/***/ })

};
