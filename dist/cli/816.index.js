export const id = 816;
export const ids = [816];
export const modules = {

/***/ 30763:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ resume),
/* harmony export */   XD: () => (/* binding */ stopTest),
/* harmony export */   yP: () => (/* binding */ waitUntilPaused)
/* harmony export */ });
/**
 * k6 driven through its REST API (`k6 run --address 127.0.0.1:port`, api/v1/status_routes.go): a
 * paused k6 waited for until its VUs are initialised (status PausedBeforeRun) and resumed at an
 * agreed time (PATCH /v1/status {"paused": false}), or a running test stopped ({"stopped": true}).
 */
/** k6's lib.ExecutionStatusPausedBeforeRun: VUs initialised, waiting for resume. */
const EXECUTION_STATUS_PAUSED_BEFORE_RUN = 4;
const POLL_MS = 200;
const REQUEST_TIMEOUT_MS = 2000;
async function statusOf(address) {
    try {
        const res = await fetch(`http://${address}/v1/status`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        if (!res.ok)
            return undefined;
        const body = (await res.json());
        return body.data?.attributes;
    }
    catch {
        // Not listening yet (k6 is still starting) or busy: the next poll asks again.
        return undefined;
    }
}
/** Resolves true once k6 is initialised and paused; false when `gaveUp` resolves first (k6 exited, the bound passed). */
async function waitUntilPaused(address, gaveUp) {
    for (;;) {
        if (gaveUp())
            return false;
        const status = await statusOf(address);
        if (status?.paused === true && status.status === EXECUTION_STATUS_PAUSED_BEFORE_RUN)
            return true;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
}
/** Starts the paused test; rejects when k6 refuses. */
async function resume(address) {
    await patchStatus(address, { paused: false }, 'resume');
}
/** Ends the test as if it had reached its end (k6 exits with 103); rejects when k6 refuses. */
async function stopTest(address) {
    await patchStatus(address, { stopped: true }, 'stop');
}
async function patchStatus(address, attributes, what) {
    const res = await fetch(`http://${address}/v1/status`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: { type: 'status', id: 'default', attributes } }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!res.ok)
        throw new Error(`k6 did not ${what}: its API answered ${res.status} ${await res.text()}`);
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


/***/ }),

/***/ 94242:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TG: () => (/* binding */ readyName),
/* harmony export */   l6: () => (/* binding */ shardItems),
/* harmony export */   nr: () => (/* binding */ downloadShardFile),
/* harmony export */   u9: () => (/* binding */ shardArtifactName),
/* harmony export */   uW: () => (/* binding */ SHARD_FILE_NAME)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(452);
/* harmony import */ var _shard_file_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(96004);
/**
 * What the shards of a sharded run store, by name: a "ready" marker and a shard file per shard, plan
 * and attempt. A re-run of a workflow is a new attempt of the same run (GITHUB_RUN_ATTEMPT): the
 * earlier attempts' artifacts stay listed and their names stay taken, so a re-run's names carry its
 * attempt (`…-attempt-2`; the first attempt's have no suffix) and shards meet and merge within one.
 */




/** The file inside a shard's artifact. */
const SHARD_FILE_NAME = 'perf-xi-shard.json';
const NAME = /^perf-xi-shard-(ready-)?(\d+)-of-(\d+)-([0-9a-f]+)(?:-attempt-(\d+))?$/;
function readyName(shard, fingerprint, attempt) {
    return `perf-xi-shard-ready-${shard.index}-of-${shard.count}-${fingerprint}${attemptSuffix(attempt)}`;
}
function shardArtifactName(shard, fingerprint, attempt = 1) {
    return `perf-xi-shard-${shard.index}-of-${shard.count}-${fingerprint}${attemptSuffix(attempt)}`;
}
function attemptSuffix(attempt) {
    return attempt > 1 ? `-attempt-${attempt}` : '';
}
/** The stored items that are shards' markers and files, read from their names; the rest is not ours. */
function shardItems(items) {
    return items.flatMap((item) => {
        const match = NAME.exec(item.name);
        if (!match)
            return [];
        const shard = { index: Number(match[2]), count: Number(match[3]) };
        return [{ kind: match[1] ? 'ready' : 'shard', shard, fingerprint: match[4], attempt: match[5] ? Number(match[5]) : 1, item }];
    });
}
/** The shard file of a stored shard artifact; one that is unreadable or not a shard file is named, for `who` (e.g. "mode merge"). */
async function downloadShardFile(store, item, dir, who) {
    const into = node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, item.name);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(into, { recursive: true });
    await store.download(item, into);
    let json;
    try {
        json = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(node_path__WEBPACK_IMPORTED_MODULE_1__.join(into, SHARD_FILE_NAME), 'utf8'));
    }
    catch (err) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`${who}: artifact ${item.name} holds no readable ${SHARD_FILE_NAME}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = _shard_file_js__WEBPACK_IMPORTED_MODULE_3__/* .ShardFileSchema */ .qJ.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`${who}: artifact ${item.name} is not a shard file: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    return parsed.data;
}


/***/ }),

/***/ 31466:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   eK: () => (/* binding */ shardPlan),
/* harmony export */   k: () => (/* binding */ SHARD_SCRIPT_FILE)
/* harmony export */ });
/* unused harmony export idleShardWarnings */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var _plan_category_scenarios_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(13009);
/* harmony import */ var _plan_plan_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(19547);
/* harmony import */ var _plan_profiles_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(97145);
/* harmony import */ var _plan_dataset_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(45512);
/* harmony import */ var _script_k6_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(17074);
/* harmony import */ var _spec_load_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(99671);
/**
 * The plan every shard and the merge job build from the same config and spec, and its
 * fingerprint: shards whose fingerprints differ ran different tests and must not be merged.
 */







const SHARD_SCRIPT_FILE = 'perf-xi-script.js';
async function shardPlan(config, shardCount, cwd) {
    const spec = await (0,_spec_load_js__WEBPACK_IMPORTED_MODULE_6__/* .loadSpec */ .I)(config.openapi, { cwd });
    const plan = (0,_plan_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .buildPlan */ .Gg)(config, spec);
    const dataset = config.dataset ? (0,_plan_dataset_js__WEBPACK_IMPORTED_MODULE_4__/* .loadDataset */ .Zh)(config.dataset, plan.endpoints, { cwd }) : undefined;
    const meta = { title: `${spec.title} ${spec.version}`.trim(), source: spec.source, scriptName: SHARD_SCRIPT_FILE };
    const script = (0,_script_k6_js__WEBPACK_IMPORTED_MODULE_5__/* .renderK6Script */ .dt)(plan, meta, dataset);
    const fingerprint = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(JSON.stringify([script, dataset ?? null, plan.baseUrl, shardCount]))
        .digest('hex')
        .slice(0, 16);
    return { plan, dataset, script, fingerprint, warnings: [...plan.warnings, ...(dataset?.warnings ?? []), ...idleShardWarnings(plan, shardCount)] };
}
/**
 * k6 splits each scenario's VUs between the shards in whole VUs, so a scenario with fewer VUs than
 * there are shards leaves some shards without any of it, and a shard can run no load at all. The
 * merged figures stay right; the warning is for the shard jobs that wait and measure nothing.
 */
function idleShardWarnings(plan, shardCount) {
    const short = (0,_plan_category_scenarios_js__WEBPACK_IMPORTED_MODULE_1__/* .categoryScenarios */ .cf)(plan).flatMap((s) => {
        const vus = s.executor.type === 'constant-vus' || s.executor.type === 'ramping-vus' ? (0,_plan_profiles_js__WEBPACK_IMPORTED_MODULE_3__/* .peakTarget */ .L_)(s.executor) : s.executor.maxVus;
        return vus < shardCount ? [{ category: s.category, text: `${s.category} ${vus} VU${vus === 1 ? '' : 's'}` }] : [];
    });
    if (short.length === 0)
        return [];
    const settings = short.map((s) => `categories.${s.category}.vus`).join(', ');
    return [
        `${shardCount} shards, but k6 splits each scenario in whole VUs and some have fewer (${short.map((s) => s.text).join(', ')}): ` +
            `some shards run none of them, and a shard may send no requests at all; give each at least ${shardCount} (vus, or ${settings}), or use fewer shards`,
    ];
}


/***/ }),

/***/ 3816:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_SHARD_TIMING: () => (/* binding */ DEFAULT_SHARD_TIMING),
  OVER_TIME: () => (/* binding */ OVER_TIME),
  runShard: () => (/* binding */ runShard),
  shardTiming: () => (/* binding */ shardTiming)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./lib/gate.js + 16 modules
var gate = __webpack_require__(14128);
// EXTERNAL MODULE: ./lib/k6/live-counters.js
var live_counters = __webpack_require__(35365);
// EXTERNAL MODULE: ./lib/k6/run.js + 1 modules
var k6_run = __webpack_require__(64981);
// EXTERNAL MODULE: ./lib/k6/stream-slis.js
var stream_slis = __webpack_require__(26173);
// EXTERNAL MODULE: ./lib/k6/timeline.js
var k6_timeline = __webpack_require__(62406);
// EXTERNAL MODULE: ./lib/k6/summary.js
var summary = __webpack_require__(14221);
// EXTERNAL MODULE: ./lib/outputs/config.js
var outputs_config = __webpack_require__(31750);
// EXTERNAL MODULE: ./lib/plan/category-scenarios.js
var category_scenarios = __webpack_require__(13009);
// EXTERNAL MODULE: ./lib/plan/dataset.js + 1 modules
var dataset = __webpack_require__(45512);
// EXTERNAL MODULE: ./lib/plan/profiles.js
var profiles = __webpack_require__(97145);
// EXTERNAL MODULE: ./lib/preflight.js
var preflight = __webpack_require__(27100);
// EXTERNAL MODULE: ./lib/k6/rest-control.js
var rest_control = __webpack_require__(30763);
// EXTERNAL MODULE: ./lib/shards/artifacts.js
var artifacts = __webpack_require__(94242);
// EXTERNAL MODULE: ./lib/shards/plan.js
var shards_plan = __webpack_require__(31466);
// EXTERNAL MODULE: ./lib/shards/shard.js
var shards_shard = __webpack_require__(38649);
;// CONCATENATED MODULE: ./lib/shards/rendezvous.js
/**
 * Shards start together: matrix jobs start minutes apart, so each shard, once its k6 is ready and
 * paused, stores a small "ready" marker in the run's store and waits until all N are listed. They
 * all then read the same creation times from the store and resume at the same instant:
 * max(ready) + margin. A shard that waits past the bound gives up rather than run alone.
 * Shards meet only shards of their own attempt of the workflow run. A re-run of failed jobs only
 * re-runs some shards; the ones that completed in an earlier attempt never come, so a re-run shard
 * that, after a short grace, sees none of them ready in its attempt fails at once, saying so.
 */




/** Jobs of "Re-run all jobs" are queued together: their shards get ready well within this of each other. */
const RERUN_GRACE_MS = 2 * 60_000;
class ShardWaitError extends Error {
}
async function agreeOnStart(opts) {
    const { shard, fingerprint, store } = opts;
    const { attempt } = store;
    const marker = external_node_path_.join(opts.workDir, 'perf-xi-shard-ready.json');
    const readyAtMs = Date.now();
    (0,external_node_fs_.writeFileSync)(marker, `${JSON.stringify({ shard: (0,shards_shard/* shardLabel */.$_)(shard), plan_fingerprint: fingerprint, attempt, ready_at_ms: readyAtMs })}\n`);
    await store.upload((0,artifacts/* readyName */.TG)(shard, fingerprint, attempt), marker);
    const graceMs = Math.min(opts.rerunGraceMs ?? RERUN_GRACE_MS, opts.waitMs);
    let rerunChecked = attempt === 1;
    for (;;) {
        const items = (0,artifacts/* shardItems */.l6)(await store.list()).filter((s) => s.shard.count === shard.count && s.fingerprint === fingerprint);
        const ready = new Map();
        for (const s of items)
            if (s.kind === 'ready' && s.attempt === attempt)
                ready.set(s.shard.index, s.item.createdAt?.getTime() ?? readyAtMs);
        if (ready.size === shard.count)
            return { readyAtMs, resumeAtMs: Math.max(...ready.values()) + opts.marginMs };
        if (opts.signal?.aborted)
            throw new ShardWaitError(`shard ${(0,shards_shard/* shardLabel */.$_)(shard)}: cancelled while waiting for the other shards`);
        if (!rerunChecked && Date.now() - readyAtMs > graceMs) {
            rerunChecked = true;
            const completed = await completedEarlier(store, items, shard, opts.workDir);
            // One of them ready again proves every job was re-run: the usual wait then applies.
            if (completed.size > 0 && ![...completed.keys()].some((index) => ready.has(index)))
                throw new ShardWaitError(rerunAloneMessage(shard, attempt, completed));
        }
        if (Date.now() - readyAtMs > opts.waitMs) {
            const missing = Array.from({ length: shard.count }, (_, k) => k + 1).filter((i) => !ready.has(i));
            throw new ShardWaitError(`shard ${(0,shards_shard/* shardLabel */.$_)(shard)}: waited ${seconds(opts.waitMs)} for the other shards; ` +
                `not ready: ${missing.map((i) => `${i}/${shard.count}`).join(', ')}; not running alone (shard-wait sets the bound)`);
        }
        await new Promise((resolve) => setTimeout(resolve, opts.pollMs));
    }
}
/**
 * The other shards whose last shard file before this attempt says they ran to their end, with that
 * attempt: "Re-run failed jobs" does not run their jobs again. A failed or missing shard's job
 * failed, so it is re-run either way and tells nothing.
 */
async function completedEarlier(store, items, shard, workDir) {
    const latest = new Map();
    for (const s of items) {
        if (s.kind !== 'shard' || s.attempt >= store.attempt || s.shard.index === shard.index)
            continue;
        if ((latest.get(s.shard.index)?.attempt ?? 0) < s.attempt)
            latest.set(s.shard.index, s);
    }
    const completed = new Map();
    for (const [index, { attempt, item }] of latest) {
        const file = await (0,artifacts/* downloadShardFile */.nr)(store, item, external_node_path_.join(workDir, 'earlier-attempts'), 'reading an earlier attempt');
        if (file.status === 'ok')
            completed.set(index, attempt);
    }
    return completed;
}
function rerunAloneMessage(shard, attempt, completed) {
    const byAttempt = new Map();
    for (const [index, earlier] of [...completed].sort(([a], [b]) => a - b))
        byAttempt.set(earlier, [...(byAttempt.get(earlier) ?? []), `${index}/${shard.count}`]);
    const ran = [...byAttempt].map(([earlier, labels], i) => `${labels.join(', ')} ${i === 0 ? 'ran ' : ''}in attempt ${earlier}`).join(', ');
    const [noun, verb] = completed.size === 1 ? ['shard', 'was'] : ['shards', 'were'];
    return (`shard ${(0,shards_shard/* shardLabel */.$_)(shard)}: the shards of a sharded test run together, but ${noun} ${ran} and ${verb} not re-run in attempt ${attempt}; ` +
        'use "Re-run all jobs", not "Re-run failed jobs"');
}
function seconds(ms) {
    return ms < 10_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
}

// EXTERNAL MODULE: ./lib/shards/shard-file.js
var shard_file = __webpack_require__(96004);
;// CONCATENATED MODULE: ./lib/shards/run-shard.js
/**
 * One shard of a sharded run (`shard: i/N`): k6 runs its execution segment of the plan, paused
 * until all N shards are ready, then resumed with the others at the agreed time. Thresholds are
 * off in the shard (`--no-thresholds`): SLOs are judged once, on the merged samples. The samples
 * stream into the bounded-memory aggregator (src/k6/stream-slis.ts), whose mergeable state is the
 * shard file stored for the merge job (src/shards/merge-gate.ts). Docs: README "Sharded runs".
 */



















const DEFAULT_SHARD_TIMING = { waitMs: 10 * 60_000, pollMs: 2_000, marginMs: 6_000 };
/** The default timing with the wait the user set (input shard-wait). */
function shardTiming(waitMs) {
    return waitMs === undefined ? DEFAULT_SHARD_TIMING : { ...DEFAULT_SHARD_TIMING, waitMs };
}
/** Profiles judged over time: their shards also store the run in windows of time. */
const OVER_TIME = new Set(['stress', 'spike']);
/** Trend statistics k6 prints in the shard's own summary (kept for comparison with the merge). */
const SUMMARY_TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99)';
async function runShard(config, shard, io, timing = DEFAULT_SHARD_TIMING) {
    const label = (0,shards_shard/* shardLabel */.$_)(shard);
    const prepared = await (0,shards_plan/* shardPlan */.eK)(config, shard.count, io.cwd);
    const { plan, fingerprint } = prepared;
    for (const warning of prepared.warnings)
        io.warn(warning);
    const { attempt } = io.store;
    io.log(`Shard ${label} of plan ${fingerprint}${attempt > 1 ? ` (attempt ${attempt})` : ''}: ${plan.endpoints.length} endpoint(s), profile ${plan.profile} against ${plan.baseUrl}`);
    (0,external_node_fs_.mkdirSync)(io.workDir, { recursive: true });
    if (prepared.dataset)
        (0,dataset/* writeDatasetFile */.Yc)(io.workDir, prepared.dataset);
    const scriptPath = external_node_path_.join(io.workDir, shards_plan/* SHARD_SCRIPT_FILE */.k);
    (0,external_node_fs_.writeFileSync)(scriptPath, prepared.script);
    for (const warning of await (0,preflight/* checkTarget */.e$)(plan, { env: io.env, configFile: config.configFile, log: io.log }))
        io.warn(warning);
    const k6 = await io.ensureK6({ version: config.k6Version, log: io.log });
    const summaryPath = external_node_path_.join(io.workDir, 'k6-summary.json');
    (0,external_node_fs_.rmSync)(summaryPath, { force: true });
    const aggregator = new stream_slis.SliAggregator({
        maxEndpoints: plan.endpoints.length,
        endpoints: plan.endpoints.map((e) => ({ method: e.endpoint.method, name: e.metricName })),
    });
    // Judged over time: the windows are counted from the agreed start, the same on every shard.
    const timeline = OVER_TIME.has(plan.profile) ? new k6_timeline.TimelineAggregator({ ...(0,k6_timeline.timelineOptionsFor)((0,profiles/* totalDurationMs */.$v)(plan.executor)), awaitStart: true }) : undefined;
    const stop = new AbortController();
    const onCancel = () => stop.abort();
    io.signal?.addEventListener('abort', onCancel, { once: true });
    const address = `127.0.0.1:${await (0,live_counters/* freeLocalPort */.VG)()}`;
    const plannedMs = (0,k6_run/* k6RunTimeLimitMs */.Jz)((0,profiles/* totalDurationMs */.$v)(plan.executor), Math.max(...(0,category_scenarios/* categoryScenarios */.cf)(plan).map((s) => s.gracefulStopMs)));
    let finished;
    const running = (0,k6_run/* runK6 */.Bt)({
        k6Path: k6.path,
        scriptPath,
        summaryPath,
        cwd: io.workDir,
        env: { ...(0,gate/* secretsEnv */.NM)(plan, io.env), ...(0,outputs_config/* outputEnv */.X0)(config.outputs, io.env) },
        onOutput: io.k6Output,
        rawOutput: {
            path: external_node_path_.join(io.workDir, 'k6-output.json'),
            onChunk: (chunk) => {
                aggregator.write(chunk);
                timeline?.write(chunk);
                io.rawSamples?.(chunk);
            },
        },
        extraArgs: ['--paused', '--no-thresholds', '--summary-trend-stats', SUMMARY_TREND_STATS, ...(0,shards_shard/* executionSegmentArgs */.J$)(shard), ...(0,outputs_config/* outputArgs */.Ze)(config.outputs)],
        apiAddress: address,
        timeLimitMs: plannedMs + 2 * timing.waitMs + timing.marginMs,
        signal: stop.signal,
        urgent: io.urgent,
    }).then((run) => (finished = run));
    let failure;
    let agreement;
    let resumedAtMs;
    try {
        const startedWaiting = Date.now();
        const paused = await (0,rest_control/* waitUntilPaused */.yP)(address, () => finished !== undefined || Date.now() - startedWaiting > timing.waitMs || stop.signal.aborted);
        if (!paused) {
            failure = finished ? undefined : `shard ${label}: k6 was not ready to start within ${Math.round(timing.waitMs / 1000)} s`;
        }
        else {
            agreement = await agreeOnStart({ store: io.store, shard, fingerprint, workDir: io.workDir, ...timing, signal: stop.signal });
            const delay = agreement.resumeAtMs - Date.now();
            io.log(`Shard ${label}: all ${shard.count} shards ready; starting ${delay > 0 ? `in ${(delay / 1000).toFixed(1)} s` : 'now'}`);
            timeline?.startAt(agreement.resumeAtMs);
            if (delay > 0)
                await new Promise((resolve) => setTimeout(resolve, delay));
            resumedAtMs = Date.now();
            await (0,rest_control/* resume */.U)(address);
        }
    }
    catch (err) {
        // Past the bound (ShardWaitError) or the store failing: this shard does not run alone.
        failure = err instanceof ShardWaitError ? err.message : `shard ${label}: ${err instanceof Error ? err.message : String(err)}`;
        stop.abort();
    }
    const run = await running;
    io.signal?.removeEventListener('abort', onCancel);
    aggregator.endRun();
    timeline?.end();
    let k6Version = null;
    try {
        k6Version = (0,summary/* parseK6Summary */.V)((0,external_node_fs_.readFileSync)(summaryPath, 'utf8'), summaryPath).k6Version ?? null;
    }
    catch {
        // No summary: the run's outcome below says why.
    }
    failure ??= run.outcome.ran ? undefined : `shard ${label}: ${run.outcome.reason}`;
    if (failure)
        io.warn(failure);
    else if (aggregator.requests === 0)
        io.warn(`shard ${label} sent no requests: its segment of the plan holds no VUs or iterations; use fewer shards or more load`);
    const file = {
        kind: shard_file/* SHARD_FILE_KIND */.zX,
        version: 1,
        shard: { index: shard.index, count: shard.count },
        plan_fingerprint: fingerprint,
        status: failure ? 'failed' : 'ok',
        ...(failure ? { reason: failure } : {}),
        k6_version: k6Version ?? k6.version,
        k6_exit_code: run.exitCode,
        ready_at_ms: agreement?.readyAtMs ?? null,
        resume_at_ms: agreement?.resumeAtMs ?? null,
        resumed_at_ms: resumedAtMs ?? null,
        wall_time_ms: run.wallTimeMs,
        stats: failure ? null : measuredFrom(aggregator.state(), resumedAtMs),
        timeline: failure || !timeline ? null : timeline.state(),
    };
    const filePath = external_node_path_.join(io.workDir, artifacts/* SHARD_FILE_NAME */.uW);
    (0,external_node_fs_.writeFileSync)(filePath, `${JSON.stringify(file)}\n`);
    const artifactName = (0,artifacts/* shardArtifactName */.u9)(shard, fingerprint, attempt);
    await io.store.upload(artifactName, filePath);
    io.log(`Shard ${label}: ${file.status === 'ok' ? `${aggregator.requests} request(s) stored` : 'failure stored'} as ${artifactName}`);
    return { file, filePath, summaryPath };
}
/** The shard's time starts when it resumed: k6 reports vus_max while paused, which is no part of the load. */
function measuredFrom(state, resumedAtMs) {
    if (resumedAtMs === undefined || state.first_ms === null || state.first_ms >= resumedAtMs)
        return state;
    return { ...state, first_ms: state.last_ms === null ? null : Math.min(resumedAtMs, state.last_ms) };
}


/***/ }),

/***/ 96004:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   qJ: () => (/* binding */ ShardFileSchema),
/* harmony export */   zX: () => (/* binding */ SHARD_FILE_KIND)
/* harmony export */ });
/* unused harmony exports StatsStateSchema, AggregatorStateSchema, TimelineStateSchema */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(12311);
/**
 * The shard file: what one shard of a sharded run stores as its artifact for the merge job. It
 * carries the shard's samples folded into mergeable statistics (a serialized HDR histogram and
 * exact counters per endpoint), never percentiles, so the merge is exact. A persisted contract:
 * zod only, no imports from stages.
 */

const StatsStateSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .lazy */ .RZV(() => zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    histogram: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    requests: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative(),
    durations: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
    sum_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig(),
    min_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    max_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    failed_total: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
    failed_matches: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
    hops: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative(),
    redirected: StatsStateSchema.optional(),
    failure_kinds: zod__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative()).optional(),
}));
/** An aggregator's whole state: per endpoint, the run, and the time its samples span (epoch ms). */
const AggregatorStateSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    endpoints: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({ key: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(), method: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(), stats: StatsStateSchema })),
    total: StatsStateSchema,
    first_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    last_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    vus_max: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    samples: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
    overflow_samples: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
});
/** A shard's run in windows of time (src/k6/timeline.ts), windows counted from the agreed start. */
const TimelineStateSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    window_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().positive(),
    start_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    last_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    windows: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
        index: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
        histogram: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
        requests: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative(),
        durations: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
        judged: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
        failed: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
        vus: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    })),
    samples: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
    samples_past_end: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative(),
});
const SHARD_FILE_KIND = 'perf-xi-shard';
const ShardFileSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    kind: zod__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .euz(SHARD_FILE_KIND),
    version: zod__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .euz(1),
    shard: zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({ index: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().positive(), count: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().positive() }),
    /** Hash of the rendered script, base URL and shard count: shards of one plan share it. */
    plan_fingerprint: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    status: zod__WEBPACK_IMPORTED_MODULE_0__/* ["enum"] */ .k5n(['ok', 'failed']),
    /** Why the shard failed (status failed). */
    reason: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
    k6_version: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    k6_exit_code: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nullable(),
    /** When the shard's k6 was initialised and paused, when the shards agreed to start, when this one resumed (epoch ms). */
    ready_at_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    resume_at_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    resumed_at_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nullable(),
    wall_time_ms: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().nonnegative(),
    stats: AggregatorStateSchema.nullable(),
    /** The run over time, for the profiles judged over time (stress, spike). */
    timeline: TimelineStateSchema.nullable().optional(),
});


/***/ })

};
