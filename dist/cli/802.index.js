export const id = 802;
export const ids = [802];
export const modules = {

/***/ 16802:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cloudRunError: () => (/* binding */ cloudRunError),
  runCloudGate: () => (/* binding */ runCloudGate)
});

// EXTERNAL MODULE: ./lib/cloud/config.js
var cloud_config = __webpack_require__(24683);
// EXTERNAL MODULE: ./lib/deadline.js
var deadline = __webpack_require__(24611);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
;// CONCATENATED MODULE: ./lib/cloud/api.js
/**
 * The Grafana Cloud k6 REST API, as the action reads it after `k6 cloud run`: the test run
 * (`/cloud/v6/test_runs/{id}`) followed until it has completed, then its per-endpoint figures from
 * the v5 metrics API (`query_aggregate_k6`). 429 and 5xx answers are retried (Retry-After
 * honoured), every other failure is one line with Grafana's own message; the token is only ever
 * sent in the Authorization header.
 */


const DEFAULT_CLOUD_API_URL = 'https://api.k6.io';
/** A failed call: its HTTP status (null when Grafana did not answer) and Grafana's message. */
class CloudApiError extends errors/* UserError */.yo {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'CloudApiError';
    }
}
/** The statuses after which a test run changes no more. */
const FINAL_STATUSES = new Set(['completed', 'aborted']);
class CloudApi {
    opts;
    baseUrl;
    sleep;
    constructor(opts) {
        this.opts = opts;
        this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
        this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    }
    async testRun(id) {
        return (await this.get(`/cloud/v6/test_runs/${encodeURIComponent(id)}`));
    }
    /**
     * The test run once Grafana has completed it (its metrics processed), or aborted it; polled every
     * `intervalMs`. Past `timeoutMs` a UserError names the last status seen.
     */
    async waitForCompletion(id, wait) {
        const deadline = Date.now() + wait.timeoutMs;
        let last;
        for (;;) {
            const run = await this.testRun(id);
            if (run.status !== last)
                wait.onStatus?.(run);
            last = run.status;
            if (FINAL_STATUSES.has(run.status))
                return run;
            if (Date.now() >= deadline)
                throw new CloudApiError(`Grafana Cloud k6 did not complete test run ${id} within ${seconds(wait.timeoutMs)} s (last status ${run.status}); raise cloud.wait or see the run in Grafana`, null);
            this.throwIfAborted();
            await this.sleep(Math.min(wait.intervalMs ?? 2000, Math.max(0, deadline - Date.now())));
        }
    }
    /**
     * One aggregate of a finished run's metric (the v5 metrics API): e.g. `histogram_quantile(0.95) by (name)`
     * over http_req_duration. Returns each series' labels and value.
     */
    async aggregate(id, query, metric) {
        const fn = `query_aggregate_k6(query='${encodeURIComponent(query)}',metric='${encodeURIComponent(metric)}')`;
        const answer = (await this.get(`/cloud/v5/test_runs/${encodeURIComponent(id)}/${fn}`));
        if (answer?.status !== 'success' || !Array.isArray(answer.data?.result))
            throw new CloudApiError(`Grafana Cloud k6 API: ${query} of ${metric} for test run ${id} answered no result (${answer?.error ?? 'unexpected shape'})`, null);
        return answer.data.result.map((series) => {
            const point = series.values?.at(-1) ?? series.value;
            const value = point === undefined ? null : Number(point[1]);
            return { labels: series.metric ?? {}, value: value === null || Number.isNaN(value) ? null : value };
        });
    }
    async get(path) {
        const maxAttempts = this.opts.maxAttempts ?? 5;
        const what = `GET ${path.replace(/\(.*$/, '(…)')}`;
        for (let attempt = 1;; attempt++) {
            this.throwIfAborted();
            let response;
            let text;
            // The time limit covers the answer and its body alike.
            const limit = (0,deadline/* deadline */.n)(this.opts.requestTimeoutMs ?? 30_000, this.opts.signal);
            try {
                response = await fetch(`${this.baseUrl}${path}`, {
                    headers: { Authorization: `Bearer ${this.opts.token}`, 'X-Stack-Id': this.opts.stackId, Accept: 'application/json', 'User-Agent': 'perf-xi' },
                    signal: limit.signal,
                });
                text = await response.text();
            }
            catch (err) {
                this.throwIfAborted();
                const reason = err.name === 'TimeoutError' ? 'no answer in time' : (err.cause?.message ?? err.message);
                if (attempt >= maxAttempts)
                    throw new CloudApiError(`Grafana Cloud k6 API: ${what}: ${reason} (after ${attempt} attempts)`, null);
                await this.pause(attempt, undefined, `${what}: ${reason}`);
                continue;
            }
            finally {
                limit.clear();
            }
            if (response.ok) {
                try {
                    return JSON.parse(text);
                }
                catch {
                    throw new CloudApiError(`Grafana Cloud k6 API: ${what} answered ${response.status} with a body that is not JSON`, response.status);
                }
            }
            const message = grafanaMessage(text);
            if ((response.status === 429 || response.status >= 500) && attempt < maxAttempts) {
                await this.pause(attempt, response.headers.get('retry-after') ?? undefined, `${what} answered ${response.status}${message ? `: ${message}` : ''}`);
                continue;
            }
            throw new CloudApiError(describeFailure(what, response.status, message, attempt), response.status);
        }
    }
    async pause(attempt, retryAfter, why) {
        const max = this.opts.maxRetryDelayMs ?? 60_000;
        const ms = Math.min(max, retryAfterMs(retryAfter) ?? 1000 * 2 ** (attempt - 1));
        this.opts.log?.(`Grafana Cloud k6 API: ${why}; retrying in ${Math.round(ms / 100) / 10} s`);
        await this.sleep(ms);
    }
    throwIfAborted() {
        if (this.opts.signal?.aborted)
            throw new CloudApiError('cancelled while following the Grafana Cloud k6 test run', null);
    }
}
/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value, now = Date.now()) {
    if (value === undefined || value.trim() === '')
        return undefined;
    if (/^\d+(\.\d+)?$/.test(value.trim()))
        return Number(value) * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
/** Grafana's message from an error body: v6 `{error: {message, code}}`, k6's v1 the same, v5 `{status: "error", error}`. */
function grafanaMessage(body) {
    try {
        const parsed = JSON.parse(body);
        const error = parsed.error;
        if (error && typeof error === 'object') {
            const { message, code } = error;
            if (typeof message === 'string')
                return oneLine(code !== undefined && code !== null ? `${message} (code ${String(code)})` : message);
        }
        for (const candidate of [error, parsed.message, parsed.detail])
            if (typeof candidate === 'string')
                return oneLine(candidate);
    }
    catch {
        // Not JSON: a proxy's page, shown only as its first line.
    }
    const first = body.trim().split('\n')[0]?.trim();
    return first ? oneLine(first.slice(0, 200)) : undefined;
}
const STATUS_HINTS = {
    401: 'the token was refused; check K6_CLOUD_TOKEN (a Grafana Cloud k6 personal or stack API token)',
    403: 'not allowed (a plan limit, or the token has no access to this stack or project)',
    404: 'not found (check K6_CLOUD_STACK_ID and the project)',
    429: 'rate limited',
};
function describeFailure(what, status, message, attempts) {
    const hint = STATUS_HINTS[status] ?? (status >= 500 ? 'Grafana Cloud k6 failed' : 'refused');
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    return `Grafana Cloud k6 API: ${what} answered ${status}, ${hint}${message ? `: ${message}` : ''}${tries}`;
}
function seconds(ms) {
    return ms < 10_000 ? Number((ms / 1000).toFixed(1)) : Math.round(ms / 1000);
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

// EXTERNAL MODULE: ./lib/sample-minimums.js
var sample_minimums = __webpack_require__(32211);
;// CONCATENATED MODULE: ./lib/cloud/figures.js

/** What is asked of the metrics API, per figure: the metric and the aggregation (Grafana's query language). */
const CLOUD_FIGURES = [
    { key: 'p50', metric: 'http_req_duration', query: 'histogram_quantile(0.50)' },
    { key: 'p90', metric: 'http_req_duration', query: 'histogram_quantile(0.90)' },
    { key: 'p95', metric: 'http_req_duration', query: 'histogram_quantile(0.95)' },
    { key: 'p99', metric: 'http_req_duration', query: 'histogram_quantile(0.99)' },
    { key: 'avg', metric: 'http_req_duration', query: 'histogram_avg' },
    { key: 'requests', metric: 'http_reqs', query: 'increase' },
    { key: 'failed', metric: 'http_req_failed', query: 'ratio' },
];
/** The query per endpoint: the same aggregation, one series per `name` tag. */
function byName(query) {
    return `${query} by (name)`;
}
function cloudSlis(figures, endpoints, durationMs) {
    const seconds = durationMs / 1000;
    const sliOf = (pick) => {
        const requests = Math.round(pick('requests') ?? 0);
        if (requests === 0)
            return { requests: 0, rps: 0, avg_ms: null, p50_ms: null, p90_ms: null, p95_ms: null, p99_ms: null, max_ms: null, error_rate_pct: null };
        const failed = pick('failed');
        const sli = {
            requests,
            rps: seconds > 0 ? round(requests / seconds) : null,
            avg_ms: ms(pick('avg')),
            p50_ms: ms(pick('p50')),
            p90_ms: ms(pick('p90')),
            p95_ms: ms(pick('p95')),
            p99_ms: ms(pick('p99')),
            max_ms: null,
            error_rate_pct: failed === null || failed === undefined ? null : round(failed * 100),
        };
        return (0,sample_minimums/* withSampleMinimums */.Uu)(sli, requests);
    };
    return {
        endpoints: endpoints.map((e) => ({ endpoint: e.key, method: e.method, ...sliOf((key) => figures[key].byName.get(e.metricName)) })),
        total: { ...sliOf((key) => figures[key].total), vus_max: null },
    };
}
function ms(value) {
    return value === null || value === undefined || !Number.isFinite(value) ? null : round(value);
}
function round(value) {
    return Math.round(value * 1000) / 1000;
}

// EXTERNAL MODULE: ./lib/cloud/run.js
var cloud_run = __webpack_require__(74520);
// EXTERNAL MODULE: ./lib/gate.js + 16 modules
var gate = __webpack_require__(14128);
// EXTERNAL MODULE: ./lib/k6/exit-codes.js
var exit_codes = __webpack_require__(88298);
// EXTERNAL MODULE: ./lib/k6/run.js + 1 modules
var k6_run = __webpack_require__(64981);
// EXTERNAL MODULE: ./lib/outputs/config.js
var outputs_config = __webpack_require__(31750);
// EXTERNAL MODULE: ./lib/plan/plan-section.js
var plan_section = __webpack_require__(62042);
// EXTERNAL MODULE: ./lib/plan/profiles.js
var profiles = __webpack_require__(97145);
// EXTERNAL MODULE: ./lib/results/build.js
var build = __webpack_require__(25010);
// EXTERNAL MODULE: ./lib/sli.js
var sli = __webpack_require__(92477);
// EXTERNAL MODULE: ./lib/verdict.js
var lib_verdict = __webpack_require__(60802);
;// CONCATENATED MODULE: ./lib/cloud-gate.js
/**
 * runner: cloud. The generated script runs with `k6 cloud run` on Grafana Cloud k6's load zones;
 * the action then follows the test run through Grafana's API until it has completed (its metrics
 * processed), reads each endpoint's figures from it, and judges, stores and reports them like a
 * local run. How a cloud run ends (k6's exit code, Grafana's result) decides an `error` verdict.
 */














async function runCloudGate(config, context, io) {
    const { plan, dataset, scriptPath, exportPath } = await (0,gate/* prepareScript */.p5)(config, io);
    const authenticated = plan.endpoints.filter((p) => p.authenticated).map((p) => p.endpoint.key);
    if (authenticated.length > 0)
        throw new errors/* UserError */.yo(`runner cloud: ${authenticated.join(', ')} ${authenticated.length === 1 ? 'needs' : 'need'} ${plan.auth.type} auth, whose secret would be written into the test archive uploaded to Grafana Cloud k6; exclude ${authenticated.length === 1 ? 'it' : 'them'} or use runner: cloud-local (k6 here, results streamed to Grafana)`);
    const k6 = await io.ensureK6({ version: config.k6Version, log: io.log });
    io.log(`Running k6 ${k6.version} (${k6.source}) cloud run on Grafana Cloud k6: ${scriptPath}`);
    const startedAt = new Date();
    const plannedMs = (0,profiles/* totalDurationMs */.$v)(plan.executor);
    const run = await (0,cloud_run/* runCloudTest */.tT)({
        k6Path: k6.path,
        scriptPath,
        cwd: io.workDir,
        env: { ...(0,outputs_config/* outputEnv */.X0)(['cloud'], io.env), ...(0,cloud_config/* cloudEnvOverrides */.EE)(config.cloud) },
        // The base URL goes into the archive (Grafana's load zones read it from there); it holds no secret.
        scriptEnv: { PERF_XI_BASE_URL: plan.baseUrl },
        onOutput: io.k6Output,
        // Queueing and starting on Grafana's side count too.
        timeLimitMs: (0,k6_run/* k6RunTimeLimitMs */.Jz)(plannedMs) + config.cloud.waitMs,
        signal: io.signal,
        urgent: io.urgent,
    });
    if (run.url)
        io.log(`Grafana Cloud k6 test run: ${run.url}`);
    const followed = run.testRunId ? await follow(run.testRunId, config, io) : {};
    const finishedAt = new Date();
    const keyed = (0,sli/* sliInputs */.of)(plan);
    const durationMs = followed.testRun?.execution_duration ? followed.testRun.execution_duration * 1000 : plannedMs;
    const slis = followed.figures
        ? cloudSlis(followed.figures, keyed, durationMs)
        : { endpoints: [], total: { ...sli/* NO_REQUESTS */.ho, rps: null, vus_max: null } };
    const runError = cloudRunError(run, followed);
    const verdict = (0,lib_verdict/* evaluateSlos */.hf)({
        slis: slis.endpoints,
        total: slis.total,
        slos: new Map(plan.endpoints.map((p) => [p.endpoint.key, p.slo])),
        runError,
    });
    let results = (0,build/* buildResults */.r)({
        context,
        config,
        plan,
        k6Version: k6.version,
        k6ExitCode: run.exitCode,
        startedAt,
        finishedAt,
        wallTimeMs: run.wallTimeMs,
        slis: slis.endpoints,
        total: slis.total,
        verdict,
        gateFails: (0,lib_verdict/* gateFails */.xd)(verdict.status, config.failOn),
        planSection: (0,plan_section/* buildPlanSection */.h)(plan, plan.analysis, { categories: config.categories, dataset }),
    });
    results = { ...results, cloud: cloudSection(run, followed.testRun, config) };
    // Grafana ran the test: a suspect regression cannot be re-measured alone from here.
    results = await (0,gate/* judgeWithHistory */.mC)(results, config, io, { confirm: async () => undefined, failures: [], plan });
    return { results, plan, scriptPath, resultsPath: (0,gate/* writeResults */.KB)(results, config, io), exportPath };
}
/** The test run followed until Grafana has completed it, then its figures; an API failure is kept as the run's error. */
async function follow(testRunId, config, io) {
    const api = new CloudApi({
        baseUrl: io.env.K6_CLOUD_HOST_V6 || io.env[cloud_config/* CLOUD_ENV */.sG.host] || DEFAULT_CLOUD_API_URL,
        token: io.env[cloud_config/* CLOUD_ENV */.sG.token] ?? '',
        stackId: io.env[cloud_config/* CLOUD_ENV */.sG.stackId] ?? '',
        signal: io.signal,
        log: io.log,
    });
    let testRun;
    try {
        testRun = await api.waitForCompletion(testRunId, {
            timeoutMs: config.cloud.waitMs,
            onStatus: (r) => io.log(`Grafana Cloud k6 test run ${testRunId}: ${r.status}${r.result ? ` (${r.result})` : ''}`),
        });
        if (testRun.status !== 'completed' || testRun.result === 'error')
            return { testRun };
        return { testRun, figures: await readFigures(api, testRunId) };
    }
    catch (err) {
        if (err instanceof CloudApiError)
            return { testRun, apiError: err.message };
        throw err;
    }
}
async function readFigures(api, id) {
    const figures = {};
    for (const { key, metric, query } of CLOUD_FIGURES) {
        const perName = await api.aggregate(id, byName(query), metric);
        const total = await api.aggregate(id, query, metric);
        figures[key] = {
            byName: new Map(perName.filter((s) => s.labels.name !== undefined).map((s) => [s.labels.name, s.value])),
            total: total[0]?.value ?? null,
        };
    }
    return figures;
}
/** Grafana's own words on how the run ended. */
function cloud_gate_grafanaMessage(testRun) {
    return testRun?.result_details?.message ?? testRun?.status_details?.extra?.message ?? undefined;
}
/** Why the run cannot be judged on its figures, or undefined when it can. */
function cloudRunError(run, followed) {
    const message = cloud_gate_grafanaMessage(followed.testRun);
    const withMessage = (text) => (message && !text.includes(message) ? `${text}: ${message}` : text);
    if (!run.outcome.ran && run.outcome.reason === k6_run/* CANCELLED_REASON */.$N)
        return withMessage('Grafana Cloud k6: cancelled');
    if (!run.outcome.ran) {
        // 97 and 98 are Grafana's verdicts on the run, not k6's: its own message says more than k6's.
        const code = run.exitCode === exit_codes/* K6_EXIT_CODES */.A$.cloudTestRunFailed.code || run.exitCode === exit_codes/* K6_EXIT_CODES */.A$.cloudFailedToGetProgress.code;
        return `Grafana Cloud k6: ${withMessage(code ? `${exit_codes/* K6_EXIT_CODES */.A$[run.exitCode === 97 ? 'cloudTestRunFailed' : 'cloudFailedToGetProgress'].meaning} (exit code ${run.exitCode})` : run.outcome.reason)}`;
    }
    if (!run.testRunId)
        return 'Grafana Cloud k6: k6 printed no test run address, so its figures cannot be read';
    if (followed.apiError)
        return followed.apiError;
    if (followed.testRun?.status === 'aborted')
        return withMessage(`Grafana Cloud k6 aborted test run ${run.testRunId}`);
    if (followed.testRun?.result === 'error')
        return withMessage(`Grafana Cloud k6 ended test run ${run.testRunId} with an error`);
    return undefined;
}
function cloudSection(run, testRun, config) {
    return {
        runner: 'cloud',
        test_run_id: run.testRunId ?? null,
        url: run.url ?? null,
        status: testRun?.status ?? null,
        result: testRun?.result ?? null,
        message: cloud_gate_grafanaMessage(testRun) ?? null,
        load_zones: (testRun?.distribution?.length ? testRun.distribution : config.cloud.loadZones.map((z) => ({ load_zone: z.zone, percent: z.percent }))).map((d) => ({
            zone: d.load_zone,
            percent: d.percent,
        })),
    };
}


/***/ })

};
