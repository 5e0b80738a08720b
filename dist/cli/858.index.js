export const id = 858;
export const ids = [858];
export const modules = {

/***/ 90858:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CAPACITY_SCRIPT_FILE: () => (/* binding */ CAPACITY_SCRIPT_FILE),
  capacityVerdict: () => (/* binding */ capacityVerdict),
  runCapacityGate: () => (/* binding */ runCapacityGate)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./lib/format/numbers.js
var numbers = __webpack_require__(72965);
;// CONCATENATED MODULE: ./lib/capacity/attribution.js
/** A status that counts as an error: 4xx, 5xx, and "0" (no response: timeout, reset). */
function isErrorStatus(status) {
    const code = Number(status);
    return !Number.isFinite(code) || code === 0 || code >= 400;
}
function errorStatuses(statuses) {
    return Object.fromEntries(Object.entries(statuses).filter(([status, count]) => count > 0 && isErrorStatus(status)));
}
/** Least-squares slope of y on x; 0 with fewer than two distinct x. */
function slope(points) {
    if (points.length < 2)
        return 0;
    const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
    const my = points.reduce((s, p) => s + p.y, 0) / points.length;
    let sxy = 0;
    let sxx = 0;
    for (const p of points) {
        sxy += (p.x - mx) * (p.y - my);
        sxx += (p.x - mx) ** 2;
    }
    return sxx > 0 ? sxy / sxx : 0;
}
function attributeEndpoints(levels, errorRateLimit) {
    const names = [...new Set(levels.flatMap((l) => l.endpoints.map((e) => e.name)))];
    const last = levels[levels.length - 1];
    const lastTime = last ? last.endpoints.reduce((s, e) => s + e.requests * e.meanMs, 0) : 0;
    const endpoints = names.map((name) => {
        const measured = levels.flatMap((l) => l.endpoints.filter((e) => e.name === name && e.requests > 0).map((e) => ({ level: l, endpoint: e })));
        const p95s = measured.map(({ level, endpoint }) => ({ x: level.vus, y: endpoint.p95Ms }));
        const first = p95s[0]?.y ?? 0;
        const lastP95 = p95s[p95s.length - 1]?.y ?? 0;
        const failing = measured.find(({ endpoint }) => endpoint.failures / endpoint.requests > errorRateLimit);
        const atLast = last?.endpoints.find((e) => e.name === name);
        return {
            name,
            p95SlopeMsPerVu: slope(p95s),
            p95GrowthRatio: first > 0 ? lastP95 / first : 1,
            latencyShare: atLast && lastTime > 0 ? (atLast.requests * atLast.meanMs) / lastTime : 0,
            firstFailingLevel: failing?.level.level ?? null,
            firstFailingVus: failing?.level.vus ?? null,
            failingStatuses: failing ? errorStatuses(failing.endpoint.statuses) : {},
        };
    });
    const growing = levels.length >= 2 ? endpoints.filter((e) => e.p95SlopeMsPerVu > 0).sort((a, b) => b.p95SlopeMsPerVu - a.p95SlopeMsPerVu) : [];
    const errorRateAt = (e) => {
        const at = levels.find((l) => l.level === e.firstFailingLevel)?.endpoints.find((x) => x.name === e.name);
        return at && at.requests > 0 ? at.failures / at.requests : 0;
    };
    const failing = endpoints
        .filter((e) => e.firstFailingLevel !== null)
        .sort((a, b) => a.firstFailingLevel - b.firstFailingLevel || errorRateAt(b) - errorRateAt(a));
    return { endpoints, fastestGrowing: growing[0]?.name ?? null, firstToFail: failing[0]?.name ?? null };
}

;// CONCATENATED MODULE: ./lib/capacity/confidence.js
const NO_MODEL_CONFIDENCE = 0.25;
function reachFactor(targetRps, maxMeasuredRps) {
    if (!(maxMeasuredRps > 0))
        return 0;
    return targetRps <= maxMeasuredRps ? 1 : 1 / (1 + Math.log(targetRps / maxMeasuredRps));
}
function precisionFactor(fit, maxVus) {
    const n = maxVus;
    const d = 1 + fit.sigma.value * (n - 1) + fit.kappa.value * n * (n - 1);
    const wLambda = (fit.lambda.high - fit.lambda.low) / fit.lambda.value;
    const wSigma = ((fit.sigma.high - fit.sigma.low) * (n - 1)) / d;
    const wKappa = ((fit.kappa.high - fit.kappa.low) * n * (n - 1)) / d;
    const width = wLambda + wSigma + wKappa;
    return Number.isFinite(width) ? 1 / (1 + width) : 0;
}
function capacityConfidence(fit, maxVus, targetRps, maxMeasuredRps) {
    const reach = reachFactor(targetRps, maxMeasuredRps);
    if (fit === null)
        return { value: NO_MODEL_CONFIDENCE * reach, fit: null, precision: null, reach };
    const fitPart = Math.min(1, Math.max(0, fit.rSquared));
    const precision = precisionFactor(fit, maxVus);
    return { value: fitPart * precision * reach, fit: fitPart, precision, reach };
}

// EXTERNAL MODULE: ./node_modules/jstat/dist/jstat.js
var jstat = __webpack_require__(32453);
// EXTERNAL MODULE: ./node_modules/ml-levenberg-marquardt/lib/index.js + 6 modules
var lib = __webpack_require__(99576);
// EXTERNAL MODULE: ./node_modules/ml-matrix/matrix.mjs
var matrix = __webpack_require__(24002);
;// CONCATENATED MODULE: ./lib/capacity/usl.js
/**
 * Gunther's Universal Scalability Law, X(N) = λN / (1 + σ(N−1) + κN(N−1)), fitted to measured
 * (concurrency, throughput) points by bounded nonlinear least squares (ml-levenberg-marquardt, σ, κ ≥ 0),
 * with 95 % intervals from the Jacobian at the optimum: s²(JᵀJ)⁻¹ and Student's t with n − 3 degrees
 * of freedom (the standard errors R's `usl` package reports). Pure numbers: no level or report knowledge.
 */



/** Three parameters and at least one degree of freedom for their intervals. */
const USL_MIN_POINTS = 4;
/** The fit could not be made: too few or degenerate points (the message says which). */
class UslFitError extends Error {
}
const DEFAULT_MAX_ITERATIONS = 400;
const ITERATIONS_PER_ROUND = 25;
/** A round that lowers the sum of squares by less than this share of it ends the search. */
const RELATIVE_IMPROVEMENT_DONE = 1e-12;
/**
 * The projected gradient, per unit of each parameter's scale, must be this small relative to the sum of
 * squares: parameters settled to about 10⁻⁴ of themselves (finer is lost to rounding on noisy data).
 */
const GRADIENT_TOLERANCE = 1e-4;
const SIGMA_MAX = 1;
/** Two fits whose sums of squares differ by less than this share of the total variance fit equally well. */
const SAME_FIT = 1e-12;
function uslThroughput(c, n) {
    return (c.lambda * n) / (1 + c.sigma * (n - 1) + c.kappa * n * (n - 1));
}
/** N* = √((1−σ)/κ), at least 1; null when κ = 0 (throughput never turns down). */
function uslPeakConcurrency(c) {
    if (c.kappa <= 0)
        return null;
    return Math.max(1, Math.sqrt(Math.max(0, 1 - c.sigma) / c.kappa));
}
/** X(N*); with κ = 0 the asymptote λ/σ; null when nothing bounds throughput (σ = κ = 0). */
function uslCeiling(c) {
    const peak = uslPeakConcurrency(c);
    if (peak !== null)
        return uslThroughput(c, peak);
    return c.sigma > 0 ? c.lambda / c.sigma : null;
}
/**
 * ceiling ÷ λ: where linear scaling λN would reach the ceiling (R usl's "optimal scalability" 1/σ when
 * κ = 0); null without a ceiling. On an API that saturates abruptly (a fixed pool) this is the knee, near
 * the pool size, while N* lies well beyond it.
 */
function uslKneeConcurrency(c) {
    const ceiling = uslCeiling(c);
    return ceiling === null ? null : ceiling / c.lambda;
}
/** ∂X/∂(λ, σ, κ) at N. */
function uslGradient(c, n) {
    const d = 1 + c.sigma * (n - 1) + c.kappa * n * (n - 1);
    const dd = d * d;
    return [n / d, (-c.lambda * n * (n - 1)) / dd, (-c.lambda * n * n * (n - 1)) / dd];
}
function toCoefficients(p, s) {
    return { lambda: p[0] * s.lambda, sigma: p[1], kappa: p[2] / s.kappa };
}
function sumOfSquares(points, c) {
    let sse = 0;
    for (const { concurrency, throughput } of points)
        sse += (throughput - uslThroughput(c, concurrency)) ** 2;
    return sse;
}
/**
 * Starting values: λ₀ from the lowest level's throughput per unit of concurrency; σ, κ from Gunther's
 * linearisation λ₀N/X − 1 = σ(N−1) + κN(N−1), solved by least squares and kept non-negative.
 */
function linearisedStart(points, lambda) {
    let saa = 0;
    let sab = 0;
    let sbb = 0;
    let say = 0;
    let sby = 0;
    for (const { concurrency: n, throughput } of points) {
        const a = n - 1;
        const b = n * (n - 1);
        const y = (lambda * n) / throughput - 1;
        saa += a * a;
        sab += a * b;
        sbb += b * b;
        say += a * y;
        sby += b * y;
    }
    const det = saa * sbb - sab * sab;
    let sigma = det > 0 ? (say * sbb - sby * sab) / det : 0;
    let kappa = det > 0 ? (sby * saa - say * sab) / det : 0;
    if (sigma < 0 || !Number.isFinite(sigma)) {
        sigma = 0;
        kappa = sbb > 0 ? Math.max(0, sby / sbb) : 0;
    }
    else if (kappa < 0 || !Number.isFinite(kappa)) {
        kappa = 0;
        sigma = saa > 0 ? Math.min(SIGMA_MAX, Math.max(0, say / saa)) : 0;
    }
    return { lambda, sigma: Math.min(sigma, SIGMA_MAX), kappa };
}
const FACES = [
    { sigmaFixed: false, kappaFixed: false },
    { sigmaFixed: false, kappaFixed: true },
    { sigmaFixed: true, kappaFixed: false },
    { sigmaFixed: true, kappaFixed: true },
];
/**
 * Levenberg–Marquardt on one face, in rounds until a round no longer lowers the sum of squares. The
 * library clamps each step into [minValues, maxValues]; a parameter whose optimum lies beyond its
 * bound makes the clamped steps wander, so that bound is searched as a face of its own (the parameter
 * fixed at 0), and the lowest sum of squares over all faces is the constrained optimum.
 */
function runFrom(points, start, face, scale, maxIterations) {
    const data = { x: points.map((p) => p.concurrency), y: points.map((p) => p.throughput / scale.throughput) };
    const ratio = scale.lambda / scale.throughput;
    const model = ([l, s, k]) => {
        const kappa = k / scale.kappa;
        return (n) => (l * ratio * n) / (1 + s * (n - 1) + kappa * n * (n - 1));
    };
    const jacobian = ([l, s, k]) => {
        const kappa = k / scale.kappa;
        return (n) => {
            const d = 1 + s * (n - 1) + kappa * n * (n - 1);
            const dd = d * d;
            return [(ratio * n) / d, face.sigmaFixed ? 0 : (-l * ratio * n * (n - 1)) / dd, face.kappaFixed ? 0 : (-l * ratio * n * n * (n - 1)) / dd / scale.kappa];
        };
    };
    const minValues = [1e-12, 0, 0];
    const maxValues = [1e12, face.sigmaFixed ? 0 : SIGMA_MAX, face.kappaFixed ? 0 : 1e12];
    let p = [start.lambda / scale.lambda, face.sigmaFixed ? 0 : start.sigma, face.kappaFixed ? 0 : start.kappa * scale.kappa];
    let sse = sumOfSquares(points, toCoefficients(p, scale));
    let iterations = 0;
    while (iterations < maxIterations) {
        const round = Math.min(ITERATIONS_PER_ROUND, maxIterations - iterations);
        const result = (0,lib/* levenbergMarquardt */.s)(data, model, {
            initialValues: p,
            jacobianFunction: jacobian,
            minValues,
            maxValues,
            maxIterations: round,
            errorTolerance: 0,
        });
        iterations += round;
        const next = result.parameterValues;
        const nextSse = sumOfSquares(points, toCoefficients(next, scale));
        if (!Number.isFinite(nextSse) || nextSse >= sse)
            break;
        const improvement = sse - nextSse;
        p = next;
        sse = nextSse;
        if (improvement <= RELATIVE_IMPROVEMENT_DONE * sse)
            break;
    }
    return { coefficients: toCoefficients(p, scale), sse, iterations };
}
/**
 * First-order optimality with bounds: every parameter off its bound has a vanishing derivative of the
 * sum of squares; one on its bound may only have a derivative pushing it further out.
 */
function isStationary(points, c, sse, sst) {
    const grad = [0, 0, 0];
    for (const { concurrency: n, throughput } of points) {
        const residual = throughput - uslThroughput(c, n);
        const g = uslGradient(c, n);
        for (let k = 0; k < 3; k++)
            grad[k] += -2 * residual * g[k];
    }
    const maxN = Math.max(...points.map((p) => p.concurrency));
    const scales = [Math.max(c.lambda, 1e-12), Math.max(c.sigma, 1e-3), Math.max(c.kappa, 1e-3 / (maxN * maxN))];
    const values = [c.lambda, c.sigma, c.kappa];
    const tolerance = GRADIENT_TOLERANCE * sse + 1e-14 * sst;
    return grad.every((g, k) => {
        const atLower = k > 0 && values[k] <= 0;
        const atUpper = k === 1 && values[k] >= SIGMA_MAX;
        const projected = (atLower && g > 0) || (atUpper && g < 0) ? 0 : g;
        return Math.abs(projected) * scales[k] <= tolerance;
    });
}
/** s²(JᵀJ)⁻¹, the columns of J scaled to unit length first so the inverse stays well conditioned. */
function covariance(points, c, sse) {
    const j = new matrix/* Matrix */.uq(points.map(({ concurrency }) => uslGradient(c, concurrency)));
    const norms = [0, 1, 2].map((k) => Math.hypot(...j.getColumn(k)) || 1);
    const scaled = new matrix/* Matrix */.uq(j.to2DArray().map((row) => row.map((v, k) => v / norms[k])));
    let inv;
    try {
        inv = (0,matrix/* inverse */.DI)(scaled.transpose().mmul(scaled));
    }
    catch {
        throw new UslFitError('the points do not determine λ, σ and κ apart (singular Jacobian)');
    }
    const s2 = sse / (points.length - 3);
    const cov = new matrix/* Matrix */.uq(3, 3);
    for (let a = 0; a < 3; a++)
        for (let b = 0; b < 3; b++)
            cov.set(a, b, (s2 * inv.get(a, b)) / (norms[a] * norms[b]));
    return cov;
}
function interval(value, halfWidth) {
    return { value, low: Math.max(0, value - halfWidth), high: value + halfWidth };
}
/**
 * Fits the USL to at least USL_MIN_POINTS points with positive throughput and at least three distinct
 * concurrencies. Each face of the bounds (σ, κ free or held at 0) from several starts (the linearised
 * one and a few shapes around it); the lowest sum of squares wins, the simpler face on a tie. Throws
 * UslFitError when the points cannot determine the three parameters.
 */
function fitUsl(input, options = {}) {
    const points = [...input].sort((a, b) => a.concurrency - b.concurrency);
    if (points.length < USL_MIN_POINTS)
        throw new UslFitError(`${points.length} points: the USL needs at least ${USL_MIN_POINTS}`);
    if (points.some((p) => !(p.concurrency >= 1) || !(p.throughput > 0) || !Number.isFinite(p.throughput))) {
        throw new UslFitError('every point needs a concurrency ≥ 1 and a positive, finite throughput');
    }
    if (new Set(points.map((p) => p.concurrency)).size < 3)
        throw new UslFitError('fewer than 3 distinct concurrencies');
    const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    const maxN = points[points.length - 1].concurrency;
    const lambda0 = points[0].throughput / points[0].concurrency;
    const scale = { lambda: lambda0, kappa: maxN, throughput: Math.max(...points.map((p) => p.throughput)) };
    const linear = linearisedStart(points, lambda0);
    const starts = [
        linear,
        { lambda: lambda0, sigma: linear.sigma, kappa: 0 },
        { lambda: lambda0, sigma: 0, kappa: 1 / (maxN * maxN) },
        { lambda: lambda0 * 1.5, sigma: 0.1, kappa: 1 / (maxN * maxN) },
    ];
    const results = [];
    let iterations = 0;
    for (const face of FACES) {
        for (const start of face.sigmaFixed || face.kappaFixed ? starts.slice(0, 1) : starts) {
            const result = runFrom(points, start, face, scale, maxIterations);
            iterations += result.iterations;
            results.push({ ...result, fixed: Number(face.sigmaFixed) + Number(face.kappaFixed) });
        }
    }
    const mean = points.reduce((sum, p) => sum + p.throughput, 0) / points.length;
    const sst = points.reduce((sum, p) => sum + (p.throughput - mean) ** 2, 0);
    // When a face with a parameter held at 0 fits as well (within rounding), the simpler model is the answer:
    // exact data without coherency must give κ = 0, not 1e-20.
    const lowest = Math.min(...results.map((r) => r.sse));
    const { coefficients: c, sse } = results.filter((r) => r.sse <= lowest + SAME_FIT * sst).sort((a, b) => b.fixed - a.fixed || a.sse - b.sse)[0];
    const cov = covariance(points, c, sse);
    const diagonal = [0, 1, 2].map((k) => cov.get(k, k));
    if (diagonal.some((v) => !Number.isFinite(v) || v < 0))
        throw new UslFitError('the points do not determine λ, σ and κ apart (singular Jacobian)');
    const t = jstat.studentt.inv(0.975, points.length - 3);
    const [seLambda, seSigma, seKappa] = diagonal.map(Math.sqrt);
    const onBound = [];
    if (c.sigma <= 0 || c.sigma >= SIGMA_MAX)
        onBound.push('sigma');
    if (c.kappa <= 0)
        onBound.push('kappa');
    return {
        lambda: interval(c.lambda, t * seLambda),
        sigma: interval(c.sigma, t * seSigma),
        kappa: interval(c.kappa, t * seKappa),
        rSquared: sst > 0 ? 1 - sse / sst : 1,
        peakConcurrency: uslPeakConcurrency(c),
        ceilingRps: uslCeiling(c),
        onBound,
        converged: isStationary(points, c, sse, sst),
        iterations,
        points: points.length,
    };
}
function coefficientsOf(fit) {
    return { lambda: fit.lambda.value, sigma: fit.sigma.value, kappa: fit.kappa.value };
}

;// CONCATENATED MODULE: ./lib/capacity/latency.js

/** Model and measurement agree when the means differ by at most this share. */
const LATENCY_AGREEMENT = 0.25;
/** N / X − Z in milliseconds; X in req/s. */
function littleMeanMs(vus, throughputRps, thinkTimeMs) {
    return (vus / throughputRps) * 1000 - thinkTimeMs;
}
function modelMeanMs(c, vus, thinkTimeMs) {
    return littleMeanMs(vus, uslThroughput(c, vus), thinkTimeMs);
}
function latencyChecks(levels, c, thinkTimeMs) {
    return levels
        .filter((l) => l.throughputRps > 0 && l.meanMs > 0)
        .map((l) => {
        const little = littleMeanMs(l.vus, l.throughputRps, thinkTimeMs);
        const model = c === null ? null : modelMeanMs(c, l.vus, thinkTimeMs);
        const relativeError = ((model ?? little) - l.meanMs) / l.meanMs;
        return {
            level: l.level,
            vus: l.vus,
            measuredMeanMs: l.meanMs,
            littleMeanMs: little,
            modelMeanMs: model,
            relativeError,
            agrees: Math.abs(relativeError) <= LATENCY_AGREEMENT,
        };
    });
}
/** p95 ÷ mean at the most loaded level that measured both: the tail shape the projection keeps. */
function p95ToMeanRatio(levels) {
    for (let i = levels.length - 1; i >= 0; i--) {
        const l = levels[i];
        if (l.meanMs > 0 && l.p95Ms > 0)
            return l.p95Ms / l.meanMs;
    }
    return null;
}
/**
 * The concurrency at which the model serves `throughputRps` on its rising branch: the smaller root of
 * xκN² + (xσ − xκ − λ)N + x(1 − σ) = 0 (below λ it is under one VU: a mean concurrency, as Little's law reads it);
 * null when the throughput lies above the model's ceiling.
 */
function concurrencyForThroughput(c, throughputRps) {
    const x = throughputRps;
    if (c.kappa <= 0) {
        const denominator = c.lambda - x * c.sigma;
        return denominator > 0 ? (x * (1 - c.sigma)) / denominator : null;
    }
    const a = x * c.kappa;
    const b = x * c.sigma - x * c.kappa - c.lambda;
    const cc = x * (1 - c.sigma);
    const discriminant = b * b - 4 * a * cc;
    if (discriminant < 0)
        return null;
    // The smaller root, written so it does not cancel when b² ≫ 4ac.
    const root = (2 * cc) / (-b + Math.sqrt(discriminant));
    return Number.isFinite(root) ? root : null;
}
/** The projected p95 when `replicas` share `targetRps`, at the concurrency where the model serves each one's share; null beyond the ceiling or without a tail ratio. */
function projectP95(c, levels, targetRps, replicas, thinkTimeMs) {
    const atRps = targetRps / replicas;
    const ratio = p95ToMeanRatio(levels);
    const vus = concurrencyForThroughput(c, atRps);
    if (ratio === null || vus === null)
        return null;
    const meanMs = Math.max(0, modelMeanMs(c, vus, thinkTimeMs));
    const maxVus = Math.max(...levels.map((l) => l.vus));
    return { projected: true, replicas, atRps, vus, meanMs, p95Ms: meanMs * ratio, p95ToMeanRatio: ratio, withinMeasuredRange: vus <= maxVus };
}
const CURVE_STEPS_BEYOND = 6;
/** The modelled curve at every measured concurrency and a few steps beyond: to twice the last level, or 1.5 N* when that is further (at most 4×). */
function modelCurve(c, levels, thinkTimeMs) {
    if (levels.length === 0)
        return [];
    const ratio = p95ToMeanRatio(levels);
    const lastVus = Math.max(...levels.map((l) => l.vus));
    const peak = uslPeakConcurrency(c);
    const end = Math.min(4 * lastVus, Math.max(2 * lastVus, peak === null ? 0 : 1.5 * peak));
    const beyond = Array.from({ length: CURVE_STEPS_BEYOND }, (_, i) => Math.round(lastVus + ((end - lastVus) * (i + 1)) / CURVE_STEPS_BEYOND));
    const concurrencies = [...new Set([...levels.map((l) => l.vus), ...beyond])].sort((a, b) => a - b);
    return concurrencies.map((vus) => {
        const meanMs = Math.max(0, modelMeanMs(c, vus, thinkTimeMs));
        return { vus, throughputRps: uslThroughput(c, vus), meanMs, p95Ms: ratio === null ? null : meanMs * ratio, projected: vus > lastVus };
    });
}

;// CONCATENATED MODULE: ./lib/capacity/recommendations.js
/**
 * Rule-based advice from the shape of the measurements: which USL term dominates at the highest
 * measured concurrency (contention σ(N−1) against coherency κN(N−1); κ counts as coherency only when
 * the levels past N* show throughput falling, else it marks a fixed limit), the statuses of the first level
 * whose errors pass the limit, and an endpoint that takes most of the request time. Each rule speaks
 * once, with the figures behind it.
 */


/** Below this total (σ(N−1) + κN(N−1) at the highest level), throughput is still within 10 % of linear. */
const NEAR_LINEAR_TERMS = 0.1;
/** An endpoint dominates when it takes at least this share of request time … */
const DOMINANT_SHARE = 0.5;
/** … and its mean is at least this many times the median mean of the others. */
const DOMINANT_MEAN_FACTOR = 2;
function sig(value) {
    return String(Number(value.toPrecision(3)));
}
function fmtInterval(name, i) {
    return `${name} = ${sig(i.value)} (95 % interval ${sig(i.low)} to ${sig(i.high)})`;
}
function statusList(statuses) {
    return Object.entries(statuses)
        .sort((a, b) => b[1] - a[1])
        .map(([status, count]) => `${status === '0' ? 'no response' : status} × ${count}`)
        .join(', ');
}
function shapeRecommendations(fit, levels) {
    const n = Math.max(...levels.map((l) => l.vus));
    const contention = fit.sigma.value * (n - 1);
    const coherency = fit.kappa.value * n * (n - 1);
    const terms = `at ${n} VUs the contention term σ(N−1) = ${sig(contention)} and the coherency term κN(N−1) = ${sig(coherency)}: throughput is ${(0,numbers/* fmtRelative */.Kc)(1 / (1 + contention + coherency))} of linear`;
    if (contention + coherency < NEAR_LINEAR_TERMS) {
        return [
            {
                rule: 'near-linear',
                text: `Throughput still grows almost linearly up to ${n} VUs: the run did not reach the API's limit. Add higher levels (or raise max-vus) before relying on the capacity figure.`,
                evidence: [terms, fmtInterval('σ', fit.sigma), fmtInterval('κ', fit.kappa)],
            },
        ];
    }
    if (contention >= coherency) {
        const ceiling = fit.ceilingRps === null ? [] : [`the model levels off at ${(0,numbers/* fmtRps */.bO)(fit.ceilingRps)} req/s`];
        return [
            {
                rule: 'contention',
                text: 'Contention limits scaling (σ dominates): part of each request is serialised, so requests queue for it. Look for locks and single-threaded sections on the hot path and for connection or worker pools smaller than the concurrency.',
                evidence: [fmtInterval('σ', fit.sigma), terms, ...ceiling],
            },
        ];
    }
    const peakIndex = levels.reduce((best, l, i) => (l.throughputRps > levels[best].throughputRps ? i : best), 0);
    const retrograde = levels.slice(peakIndex + 1).find((l) => l.throughputRps < levels[peakIndex].throughputRps * 0.95);
    const measuredFall = retrograde
        ? [
            `measured throughput fell from ${(0,numbers/* fmtRps */.bO)(levels[peakIndex].throughputRps)} req/s at ${levels[peakIndex].vus} VUs to ${(0,numbers/* fmtRps */.bO)(retrograde.throughputRps)} req/s at ${retrograde.vus} VUs`,
        ]
        : [];
    // Past N* without a measured fall, κ only stands in for a sharp corner: a fixed limit, not crosstalk.
    const lastVus = levels[levels.length - 1].vus;
    if (!retrograde && fit.peakConcurrency !== null && lastVus > fit.peakConcurrency) {
        return [
            {
                rule: 'contention',
                text: 'Throughput levels off at a fixed limit: requests queue for a resource of fixed size (a worker or connection pool, a semaphore, the cores). The model fits the sharp corner with κ, but throughput did not fall past it. Size the pool to the concurrency you need, or add replicas.',
                evidence: [
                    `measured throughput levelled off near ${(0,numbers/* fmtRps */.bO)(levels[peakIndex].throughputRps)} req/s from ${levels[peakIndex].vus} VUs and stayed within 5 % of it up to ${lastVus} VUs`,
                    terms,
                    fmtInterval('κ', fit.kappa),
                ],
            },
        ];
    }
    const peak = fit.peakConcurrency === null
        ? []
        : [`throughput peaks near ${Math.round(fit.peakConcurrency)} VUs (N*) at ${(0,numbers/* fmtRps */.bO)(fit.ceilingRps)} req/s and falls beyond it`];
    return [
        {
            rule: 'coherency',
            text: 'Coherency limits scaling (κ dominates): requests wait on one another pairwise, as shared mutable state is kept consistent (cache invalidation, distributed locks, cross-node chatter), so adding load lowers throughput past a peak. Reduce what is shared (partition data, local caches, fewer round trips between nodes) and keep concurrency below N*.',
            evidence: [fmtInterval('κ', fit.kappa), terms, ...peak, ...measuredFall],
        },
    ];
}
function errorRecommendations(levels, limit) {
    const level = levels.find((l) => l.errorRate > limit);
    if (!level)
        return [];
    const statuses = {};
    for (const e of level.endpoints)
        for (const [status, count] of Object.entries(errorStatuses(e.statuses)))
            statuses[status] = (statuses[status] ?? 0) + count;
    const where = `level ${level.level} (${level.vus} VUs)`;
    const seen = `at ${where} ${(0,numbers/* fmtPct */.pT)(level.errorRate * 100)} of requests failed, above the ${(0,numbers/* fmtPct */.pT)(limit * 100)} limit: ${statusList(statuses) || 'no error status recorded'}`;
    const pick = (codes) => Object.fromEntries(Object.entries(statuses).filter(([s]) => codes(s)));
    const out = [];
    const limited = pick((s) => s === '429');
    if (Object.keys(limited).length > 0)
        out.push({
            rule: 'rate-limited',
            text: `Requests are rate limited from ${where}: 429 is a limit the API or a gateway sets, not its capacity. Raise or exempt the limit for the load test, or treat it as the throughput the API is allowed to serve.`,
            evidence: [seen],
        });
    const shed = pick((s) => s === '503');
    if (Object.keys(shed).length > 0)
        out.push({
            rule: 'over-capacity',
            text: `The API sheds load with 503 from ${where}: a pool or queue is exhausted (database connections, worker threads) or the instances are over capacity. Size the pools to the concurrency or add replicas.`,
            evidence: [seen],
        });
    const timeouts = pick((s) => s === '0' || s === '408' || s === '504' || !Number.isFinite(Number(s)));
    if (Object.keys(timeouts).length > 0)
        out.push({
            rule: 'timeouts',
            text: `Requests time out from ${where}: they wait longer than the client or a proxy allows, because the API accepts work faster than it completes it. Bound the queue (and answer 503 early) or add capacity.`,
            evidence: [seen],
        });
    const server = pick((s) => Number(s) >= 500 && !['503', '504'].includes(s));
    if (Object.keys(server).length > 0)
        out.push({
            rule: 'server-errors',
            text: `Server errors appear under load from ${where}: resources run out or a dependency fails at that concurrency. Read the API's logs for that period.`,
            evidence: [seen],
        });
    return out;
}
function dominantEndpoint(levels, attribution) {
    const last = levels[levels.length - 1];
    if (!last || last.endpoints.length < 2)
        return [];
    const top = [...attribution.endpoints].sort((a, b) => b.latencyShare - a.latencyShare)[0];
    const topMean = last.endpoints.find((e) => e.name === top.name)?.meanMs ?? 0;
    const others = last.endpoints
        .filter((e) => e.name !== top.name && e.requests > 0)
        .map((e) => e.meanMs)
        .sort((a, b) => a - b);
    if (others.length === 0)
        return [];
    const median = others.length % 2 ? others[others.length >> 1] : (others[others.length / 2 - 1] + others[others.length / 2]) / 2;
    if (top.latencyShare < DOMINANT_SHARE || topMean < DOMINANT_MEAN_FACTOR * median)
        return [];
    return [
        {
            rule: 'dominant-endpoint',
            text: `${top.name} dominates the request time: a data-intensive operation. Page or limit its results, return fewer fields, cache or precompute them, or make it asynchronous.`,
            evidence: [
                `${(0,numbers/* fmtRelative */.Kc)(top.latencyShare)} of request time at ${last.vus} VUs`,
                `mean ${(0,numbers/* fmtMs */.mq)(topMean)} against a median of ${(0,numbers/* fmtMs */.mq)(median)} for the other endpoints`,
                `its p95 grows by ${sig(top.p95SlopeMsPerVu)} ms per VU`,
            ],
        },
    ];
}
function recommend(levels, targets, model, attribution) {
    return [
        ...(model.kind === 'usl' && levels.length > 0 ? shapeRecommendations(model.fit, levels) : []),
        ...errorRecommendations(levels, targets.errorRateLimit),
        ...dominantEndpoint(levels, attribution),
    ];
}

;// CONCATENATED MODULE: ./lib/capacity/answers.js
/**
 * The answers of a capacity run from its measured levels and the user's targets: the current capacity
 * (the highest throughput whose p95 and errors stay within the targets, interpolated between levels,
 * projected beyond them only when labelled so), the scaling factor, the replicas and their cost under
 * horizontal scaling, the USL model or why there is none, its confidence, Little's-law checks, the
 * projected p95 at the target, endpoint attribution, recommendations and notes. Pure: data in, data out.
 */






/** Beyond the last level the model carries the capacity at most this many times its concurrency. */
const EXTRAPOLATION_LIMIT = 2;
/** A level serves within the targets when it served requests at all, with p95 and errors within them. */
function passes(level, targets) {
    return level.requests > 0 && level.throughputRps > 0 && level.p95Ms <= targets.targetP95Ms && level.errorRate <= targets.errorRateLimit;
}
/**
 * The USL is fitted to the throughput of successful responses: fast failures (429, 503) would otherwise
 * pass for scaling, and a rate limit would look like linear growth.
 */
function goodput(level) {
    return level.throughputRps * (1 - Math.min(1, Math.max(0, level.errorRate)));
}
function fitModel(levels, options) {
    const points = levels.filter((l) => goodput(l) > 0).map((l) => ({ concurrency: l.vus, throughput: goodput(l) }));
    if (points.length < USL_MIN_POINTS) {
        return {
            kind: 'none',
            reason: 'too-few-levels',
            detail: `${points.length} level${points.length === 1 ? '' : 's'} with successful responses: the USL needs at least ${USL_MIN_POINTS} (λ, σ, κ and one degree of freedom), so the measured points stand alone`,
            fit: null,
        };
    }
    let fit;
    try {
        fit = fitUsl(points, { maxIterations: options.fitIterations });
    }
    catch (error) {
        if (!(error instanceof UslFitError))
            throw error;
        return { kind: 'none', reason: 'degenerate-data', detail: `the levels cannot be fitted: ${error.message}`, fit: null };
    }
    if (!fit.converged)
        return { kind: 'none', reason: 'did-not-converge', detail: `the fit did not converge in ${fit.iterations} iterations`, fit };
    if (fit.sigma.value >= 1) {
        return {
            kind: 'none',
            reason: 'on-bound',
            detail: 'σ reached its upper bound 1: throughput did not grow with concurrency at all, so the levels show no scaling to model',
            fit,
        };
    }
    return { kind: 'usl', fit };
}
/** Where, between a passing level and the failing one after it, the first limit is crossed (0..1), and which. */
function crossing(from, to, targets) {
    const fraction = (limit, a, b) => (b > limit ? (b > a ? (limit - a) / (b - a) : 0) : 1);
    const tP95 = fraction(targets.targetP95Ms, from.p95Ms, to.p95Ms);
    const tErrors = fraction(targets.errorRateLimit, from.errorRate, to.errorRate);
    return tErrors < tP95 ? { t: Math.max(0, tErrors), limitedBy: 'errors' } : { t: Math.min(1, Math.max(0, tP95)), limitedBy: 'p95' };
}
/** The concurrency, beyond the last level, at which the projected p95 reaches the target (bisection: R(N) grows with N). */
function projectedTargetConcurrency(c, from, to, ratio, targets) {
    const p95 = (n) => modelMeanMs(c, n, targets.thinkTimeMs) * ratio;
    if (p95(to) <= targets.targetP95Ms)
        return null;
    let lo = from;
    let hi = to;
    for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (p95(mid) <= targets.targetP95Ms)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}
function currentCapacity(levels, targets, model) {
    if (levels.length === 0)
        return { rps: 0, method: 'below-first-level', vus: null, limitedBy: 'none', isLowerBound: false, reason: 'no level was measured' };
    if (!levels.some((l) => passes(l, targets))) {
        const first = levels[0];
        if (levels.every((l) => l.errorRate > targets.errorRateLimit)) {
            return {
                rps: 0,
                method: 'below-first-level',
                vus: null,
                limitedBy: 'errors',
                isLowerBound: false,
                reason: `every level had errors above the ${(0,numbers/* fmtPct */.pT)(targets.errorRateLimit * 100)} limit, from ${(0,numbers/* fmtPct */.pT)(first.errorRate * 100)} at ${first.vus} VUs: the API served nothing within its error SLO`,
            };
        }
        const limitedBy = first.errorRate > targets.errorRateLimit ? 'errors' : 'p95';
        return {
            rps: 0,
            method: 'below-first-level',
            vus: null,
            limitedBy,
            isLowerBound: false,
            reason: limitedBy === 'p95'
                ? `the first level (${first.vus} VUs) already had a p95 of ${(0,numbers/* fmtMs */.mq)(first.p95Ms)}, above the ${(0,numbers/* fmtLimitMs */.vM)(targets.targetP95Ms)} target, and no level met it: capacity lies below the lowest level measured`
                : `the first level (${first.vus} VUs) already had ${(0,numbers/* fmtPct */.pT)(first.errorRate * 100)} errors and no level met both targets: capacity lies below the lowest level measured`,
        };
    }
    let best = null;
    const consider = (candidate) => {
        if (best === null || candidate.rps > best.rps)
            best = candidate;
    };
    levels.forEach((level, i) => {
        if (!passes(level, targets))
            return;
        const next = levels[i + 1];
        if (next === undefined) {
            consider({
                rps: level.throughputRps,
                method: 'measured',
                vus: level.vus,
                limitedBy: 'none',
                isLowerBound: true,
                reason: `every level up to the last (${level.vus} VUs) met the targets: the API serves at least ${(0,numbers/* fmtRps */.bO)(level.throughputRps)} req/s`,
            });
            return;
        }
        if (passes(next, targets)) {
            const lastVus = levels[levels.length - 1].vus;
            consider({
                rps: level.throughputRps,
                method: 'measured',
                vus: level.vus,
                limitedBy: 'none',
                isLowerBound: false,
                reason: `the highest throughput measured within the targets, at ${level.vus} VUs: more concurrency (up to ${lastVus} VUs) did not raise it`,
            });
            return;
        }
        if (!(next.requests > 0 && next.throughputRps > 0)) {
            consider({
                rps: level.throughputRps,
                method: 'measured',
                vus: level.vus,
                limitedBy: 'errors',
                isLowerBound: false,
                reason: `measured at ${level.vus} VUs; the level at ${next.vus} VUs served no request`,
            });
            return;
        }
        const { t, limitedBy } = crossing(level, next, targets);
        const rps = level.throughputRps + t * (next.throughputRps - level.throughputRps);
        const what = limitedBy === 'p95' ? `p95 reaches ${(0,numbers/* fmtLimitMs */.vM)(targets.targetP95Ms)}` : `errors reach ${(0,numbers/* fmtPct */.pT)(targets.errorRateLimit * 100)}`;
        if (rps > level.throughputRps) {
            consider({
                rps,
                method: 'interpolated',
                vus: level.vus + t * (next.vus - level.vus),
                limitedBy,
                isLowerBound: false,
                reason: `${what} between ${level.vus} and ${next.vus} VUs, interpolated linearly between the two levels`,
            });
        }
        else {
            consider({
                rps: level.throughputRps,
                method: 'measured',
                vus: level.vus,
                limitedBy,
                isLowerBound: false,
                reason: `measured at ${level.vus} VUs; at ${next.vus} VUs ${what}`,
            });
        }
    });
    const found = best;
    // Every level met the targets: with a model, carry the p95 target beyond the last level, labelled as a projection.
    const ratio = p95ToMeanRatio(levels);
    if (found.isLowerBound && model.kind === 'usl' && ratio !== null) {
        const c = coefficientsOf(model.fit);
        const last = levels[levels.length - 1];
        let end = EXTRAPOLATION_LIMIT * last.vus;
        if (model.fit.peakConcurrency !== null)
            end = Math.min(end, Math.max(last.vus, model.fit.peakConcurrency));
        const reached = projectedTargetConcurrency(c, last.vus, end, ratio, targets);
        const vus = reached ?? end;
        const rps = uslThroughput(c, vus);
        if (vus > last.vus && rps > found.rps) {
            return {
                rps,
                method: 'above-last-level-extrapolated',
                vus,
                limitedBy: reached === null ? 'none' : 'p95',
                isLowerBound: reached === null,
                reason: reached === null
                    ? `every level met the targets; the model projects ${(0,numbers/* fmtRps */.bO)(rps)} req/s at ${Math.round(vus)} VUs, as far as it is carried (${EXTRAPOLATION_LIMIT}× the last level or N*), still within them`
                    : `every level met the targets; the model projects the p95 target to be reached near ${Math.round(vus)} VUs, at ${(0,numbers/* fmtRps */.bO)(rps)} req/s (projected, not measured)`,
            };
        }
    }
    return found;
}
function analyseCapacity(input, targets, options = {}) {
    const levels = [...input].sort((a, b) => a.vus - b.vus);
    const model = fitModel(levels, options);
    const coefficients = model.kind === 'usl' ? coefficientsOf(model.fit) : null;
    const capacity = currentCapacity(levels, targets, model);
    const notes = [];
    const current = capacity.rps;
    const scalingFactor = current > 0 ? targets.targetRps / current : null;
    const perReplica = current / targets.replicas;
    const replicasNeeded = current > 0 ? Math.max(1, Math.ceil(targets.targetRps / (perReplica * (1 - targets.headroom)) - 1e-9)) : null;
    const estimatedCostDelta = targets.replicaCost && replicasNeeded !== null
        ? { amount: Math.round((replicasNeeded - targets.replicas) * targets.replicaCost.amount * 100) / 100, currency: targets.replicaCost.currency }
        : null;
    if (current > 0) {
        notes.push(`Replicas assume the ${targets.replicas === 1 ? 'instance' : `${targets.replicas} instances`} behind the base URL scale horizontally: each serves ${(0,numbers/* fmtRps */.bO)(perReplica)} req/s, of which ${(0,numbers/* fmtRelative */.Kc)(1 - targets.headroom)} is planned (${(0,numbers/* fmtRelative */.Kc)(targets.headroom)} headroom).`);
    }
    if (capacity.isLowerBound)
        notes.push('The capacity is a lower bound (no level missed the targets), so the replicas needed are an upper bound.');
    if (capacity.method === 'above-last-level-extrapolated')
        notes.push('The capacity lies beyond the measured levels: it is the model’s projection, not a measurement.');
    if (model.kind === 'none')
        notes.push(`No model: ${model.detail}.`);
    else {
        if (model.fit.onBound.includes('kappa'))
            notes.push('κ landed on its bound 0: no coherency delay was measured, so the model predicts no peak (N*) and no retrograde throughput.');
        if (model.fit.onBound.includes('sigma'))
            notes.push('σ landed on its bound 0: no contention was measured.');
    }
    let projectedP95AtTarget = null;
    if (coefficients !== null) {
        projectedP95AtTarget = projectP95(coefficients, levels, targets.targetRps, targets.replicas, targets.thinkTimeMs);
        if (projectedP95AtTarget === null) {
            const ceiling = model.kind === 'usl' && model.fit.ceilingRps !== null ? ` (${(0,numbers/* fmtRps */.bO)(model.fit.ceilingRps)} req/s)` : '';
            notes.push(`The target per current replica (${(0,numbers/* fmtRps */.bO)(targets.targetRps / targets.replicas)} req/s) lies beyond what the model says one replica can serve${ceiling}.`);
            if (replicasNeeded !== null && replicasNeeded > targets.replicas) {
                projectedP95AtTarget = projectP95(coefficients, levels, targets.targetRps, replicasNeeded, targets.thinkTimeMs);
            }
        }
    }
    const checks = latencyChecks(levels, coefficients, targets.thinkTimeMs);
    const disagreeing = checks.filter((c) => !c.agrees);
    if (disagreeing.length > 0) {
        notes.push(`Little's law (R = N/X − Z) and the measured mean differ by more than 25 % at ${disagreeing.map((c) => `${c.vus} VUs`).join(', ')}: think time, open arrivals or the load generator are not as the closed model assumes there.`);
    }
    const maxVus = levels.length > 0 ? levels[levels.length - 1].vus : 0;
    const maxMeasuredRps = Math.max(0, ...levels.map((l) => l.throughputRps));
    const attribution = attributeEndpoints(levels, targets.errorRateLimit);
    return {
        currentCapacityRps: current,
        capacity,
        targetRps: targets.targetRps,
        scalingFactor,
        replicasNeeded,
        replicas: targets.replicas,
        targetMetWithCurrentReplicas: replicasNeeded !== null && replicasNeeded <= targets.replicas,
        estimatedCostDelta,
        confidence: capacityConfidence(model.kind === 'usl' ? model.fit : null, maxVus, targets.targetRps, maxMeasuredRps),
        model,
        latencyChecks: checks,
        projectedP95AtTarget,
        curve: coefficients === null ? [] : modelCurve(coefficients, levels, targets.thinkTimeMs),
        attribution,
        recommendations: recommend(levels, targets, model, attribution),
        notes,
    };
}

;// CONCATENATED MODULE: ./lib/capacity/generator.js
const GENERATOR_LIMITS = {
    /** k6 busy on this share of the runner's cores. */
    cpuShare: 0.85,
    /** A level gaining at least this much throughput is still scaling. */
    stillGrowing: 0.05,
    /** Concurrency up by at least this factor with throughput and mean latency each up by less than their share. */
    flatStep: 1.5,
    flatLatencyGrowth: 0.1,
};
function loadGeneratorFindings(input) {
    const findings = [];
    const { levels } = input;
    const busiest = [...input.k6Cores.entries()].sort((a, b) => b[1] - a[1])[0];
    if (busiest && busiest[1] >= GENERATOR_LIMITS.cpuShare * input.runnerCores) {
        findings.push({
            sign: 'k6-cpu',
            detail: `k6 kept ${busiest[1].toFixed(2)} of the runner's ${input.runnerCores} cores busy at level ${busiest[0]}`,
        });
    }
    const dropped = levels.reduce((sum, l) => sum + l.droppedIterations, 0);
    if (dropped > 0)
        findings.push({ sign: 'dropped-iterations', detail: `k6 dropped ${dropped} iterations it had no VU for` });
    const last = levels.at(-1);
    const before = levels.at(-2);
    if (last && before && last.vus >= input.maxVus) {
        const gain = last.throughputRps / Math.max(before.throughputRps, 1e-9) - 1;
        if (gain >= GENERATOR_LIMITS.stillGrowing)
            findings.push({
                sign: 'vu-cap',
                detail: `the last level ran at the cap of ${input.maxVus} VUs while throughput still grew ${Math.round(gain * 100)} % over the level before: the API had not stopped scaling`,
            });
    }
    for (let i = 1; i < levels.length; i++) {
        const a = levels[i - 1];
        const b = levels[i];
        if (b.vus / a.vus < GENERATOR_LIMITS.flatStep || b.errorRate > a.errorRate + 0.01 || a.meanMs <= 0)
            continue;
        const gain = b.throughputRps / Math.max(a.throughputRps, 1e-9) - 1;
        const latencyGrowth = b.meanMs / a.meanMs - 1;
        if (gain < GENERATOR_LIMITS.stillGrowing && latencyGrowth < GENERATOR_LIMITS.flatLatencyGrowth) {
            findings.push({
                sign: 'flat-throughput-flat-latency',
                detail: `from ${a.vus} to ${b.vus} VUs throughput grew ${Math.round(gain * 100)} % while the mean latency grew only ${Math.round(latencyGrowth * 100)} %: the VUs waited on k6, not on the API`,
            });
            break;
        }
    }
    return findings;
}

;// CONCATENATED MODULE: ./lib/capacity/levels.js
/** A level past either limit ends the run: what follows would only measure a broken API. */
const FAR_PAST = { p95Factor: 10, errorRate: 0.2 };
/** auto: throughput gains below this, twice in a row, mean the API stopped scaling. */
const AUTO_STOP = { minGain: 0.05, flatLevels: 2, p95Factor: 2 };
/**
 * k6's gracefulStop for each level: none. A request still in flight when its level ends would be
 * counted after the level's end anyway, and with no grace the levels never overlap, so k6 needs no
 * more VUs than the largest level and the next level starts on an idle API.
 */
const LEVEL_GRACEFUL_STOP_MS = 0;
function levelSchedule(settings) {
    return settings.levels.map((vus, i) => ({ level: i + 1, vus, startMs: i * settings.levelDurationMs, durationMs: settings.levelDurationMs }));
}
/** The whole stepped run as planned, without its early stop. */
function plannedDurationMs(settings) {
    return settings.levels.length * settings.levelDurationMs;
}
/** Whether the run should stop after the levels measured so far (in order, the last one just ended). */
function stopAfter(measured, settings) {
    const last = measured.at(-1);
    if (!last || last.requests === 0)
        return undefined;
    const at = `level ${last.level} (${last.vus} VUs)`;
    if (last.p95Ms > FAR_PAST.p95Factor * settings.targetP95Ms)
        return {
            kind: 'far-past',
            afterLevel: last.level,
            reason: `stopped after ${at}: p95 ${round(last.p95Ms)} ms is over ${FAR_PAST.p95Factor}× the ${settings.targetP95Ms} ms target`,
        };
    if (last.errorRate > FAR_PAST.errorRate)
        return {
            kind: 'far-past',
            afterLevel: last.level,
            reason: `stopped after ${at}: ${round(last.errorRate * 100)} % of requests failed (over ${FAR_PAST.errorRate * 100} %)`,
        };
    if (!settings.auto)
        return undefined;
    if (last.p95Ms > AUTO_STOP.p95Factor * settings.targetP95Ms)
        return {
            kind: 'auto',
            afterLevel: last.level,
            reason: `auto stopped after ${at}: p95 ${round(last.p95Ms)} ms is over twice the ${settings.targetP95Ms} ms target`,
        };
    const recent = measured.slice(-(AUTO_STOP.flatLevels + 1));
    if (recent.length === AUTO_STOP.flatLevels + 1) {
        const gains = recent.slice(1).map((level, i) => level.throughputRps / Math.max(recent[i].throughputRps, 1e-9) - 1);
        if (gains.every((gain) => gain < AUTO_STOP.minGain))
            return {
                kind: 'auto',
                afterLevel: last.level,
                reason: `auto stopped after ${at}: throughput grew less than ${AUTO_STOP.minGain * 100} % over each of the last ${AUTO_STOP.flatLevels} levels (${gains.map((g) => `${round(g * 100)} %`).join(', ')})`,
            };
    }
    return undefined;
}
function round(value) {
    return Math.round(value * 10) / 10;
}

// EXTERNAL MODULE: ./lib/plan/category-scenarios.js
var category_scenarios = __webpack_require__(13009);
// EXTERNAL MODULE: ./lib/plan/profiles.js
var profiles = __webpack_require__(97145);
// EXTERNAL MODULE: ./lib/script/k6.js
var script_k6 = __webpack_require__(17074);
// EXTERNAL MODULE: ./lib/script/templates.js
var templates = __webpack_require__(31132);
;// CONCATENATED MODULE: ./lib/capacity/script.js
/**
 * The capacity run's k6 script: a small module beside the plan's own script that imports its
 * scenario functions and steps them through the levels, one `constant-vus` scenario per level with
 * its `startTime` and a `level` tag (templates/k6-capacity.js.hbs). Deterministic, like the plan's script.
 */





/** The custom metric each level's first iteration writes: the level's start, epoch ms. */
const LEVEL_START_METRIC = 'perf_xi_level_start';
/** The tag every sample of a level carries. */
const LEVEL_TAG = 'level';
function renderCapacityScript(plan, schedule, meta) {
    const scenarios = (0,category_scenarios/* categoryScenarios */.cf)(plan);
    const functions = scenarios.map((s) => s.name);
    const mix = (0,profiles/* weightedSchedule */.ls)(scenarios.map((s) => s.share), 20).map((i) => functions[i]);
    return render({
        title: meta.title,
        scriptName: meta.scriptName,
        planScript: meta.planScriptName,
        planScriptImport: `./${meta.planScriptName}`,
        setup: meta.planHasSetup,
        warmUp: (0,script_k6/* k6Duration */.Ub)(meta.warmUpMs),
        functions,
        mix,
        summaryTrendStats: script_k6/* SUMMARY_TREND_STATS */.$8,
        levels: schedule.map((l) => ({
            name: `level_${l.level}`,
            level: String(l.level),
            vus: l.vus,
            duration: (0,script_k6/* k6Duration */.Ub)(l.durationMs),
            startTime: (0,script_k6/* k6Duration */.Ub)(l.startMs),
            gracefulStop: (0,script_k6/* k6Duration */.Ub)(LEVEL_GRACEFUL_STOP_MS),
        })),
    });
}
/** The think time of the run's mix (Little's law's Z): the categories' think times by their share. */
function mixThinkTimeMs(plan) {
    return (0,category_scenarios/* categoryScenarios */.cf)(plan).reduce((sum, s) => sum + s.share * s.thinkTimeMs, 0);
}
const render = (0,templates/* templateRenderer */.MP)('k6-capacity.js.hbs', {
    json: (value) => JSON.stringify(value ?? null)
        .replace(/\u2028/g, '\\u2028')
        .replace(/\u2029/g, '\\u2029'),
    comment: (value) => String(value ?? '').replace(/[\r\n\u2028\u2029]+/g, ' '),
    ident: (0,templates/* identifierHelper */.Eq)(/^[A-Za-z_$][\w$]*$/, 'JavaScript'),
});

;// CONCATENATED MODULE: ./lib/capacity/section.js

function capacitySection(input) {
    const { settings, analysis } = input;
    const limited = input.generator.length > 0;
    const model = analysis.model;
    const fit = model.kind === 'usl' ? model.fit : model.fit;
    const curve = analysis.curve.map((p) => ({
        vus: p.vus,
        rps: section_round(p.throughputRps),
        mean_ms: section_round(p.meanMs),
        p95_ms: nullRound(p.p95Ms),
        projected: p.projected,
    }));
    const projected = analysis.projectedP95AtTarget;
    return {
        target_rps: settings.targetRps,
        target_p95_ms: settings.targetP95Ms,
        replicas: settings.replicas,
        replica_cost: settings.replicaCost ?? null,
        headroom_pct: section_round(settings.headroom * 100),
        think_time_ms: section_round(input.thinkTimeMs),
        auto: settings.auto,
        levels_planned: [...settings.levels],
        level_duration_ms: settings.levelDurationMs,
        warm_up_ms: settings.warmUpMs,
        levels: input.levels.map((l) => ({
            level: l.level,
            vus: l.vus,
            measured_s: section_round(l.measuredSeconds),
            ...figures({ ...l, statuses: statusesOf(l.endpoints) }),
            dropped_iterations: l.droppedIterations,
            k6_cpu_cores: nullRound(input.k6Cores.get(l.level) ?? null),
            endpoints: l.endpoints.map((e) => ({ endpoint: e.name, ...figures(e) })),
        })),
        stopped_early: input.stopped ? { kind: input.stopped.kind, reason: input.stopped.reason } : null,
        load_generator: { limited, findings: input.generator.map((f) => ({ sign: f.sign, detail: f.detail })) },
        // A run the load generator limited measured k6, not the API: its figure would be false.
        current_capacity_rps: limited ? null : section_round(analysis.currentCapacityRps),
        capacity_method: analysis.capacity.method,
        capacity_reason: analysis.capacity.reason,
        capacity_is_lower_bound: limited || analysis.capacity.isLowerBound,
        measured_max_rps: section_round(Math.max(0, ...input.levels.map((l) => l.throughputRps))),
        scaling_factor: limited ? null : nullRound(analysis.scalingFactor),
        replicas_needed: limited ? null : analysis.replicasNeeded,
        target_met_with_current_replicas: limited ? null : analysis.targetMetWithCurrentReplicas,
        estimated_cost_delta: limited || !analysis.estimatedCostDelta ? null : { ...analysis.estimatedCostDelta, amount: section_round(analysis.estimatedCostDelta.amount) },
        confidence: section_round(analysis.confidence.value),
        confidence_parts: { fit: nullRound(analysis.confidence.fit), precision: nullRound(analysis.confidence.precision), reach: section_round(analysis.confidence.reach) },
        model_used: model.kind,
        model: {
            kind: model.kind,
            reason: model.kind === 'none' ? model.reason : null,
            detail: model.kind === 'none' ? model.detail : null,
            lambda: fit ? section_interval(fit.lambda) : null,
            sigma: fit ? section_interval(fit.sigma) : null,
            kappa: fit ? section_interval(fit.kappa) : null,
            r_squared: fit ? section_round(fit.rSquared) : null,
            peak_concurrency: fit ? nullRound(fit.peakConcurrency) : null,
            knee_concurrency: fit ? nullRound(uslKneeConcurrency(coefficientsOf(fit))) : null,
            ceiling_rps: fit ? nullRound(fit.ceilingRps) : null,
            converged: fit ? fit.converged : null,
            on_bound: fit ? [...fit.onBound] : [],
        },
        curve,
        projected_p95_at_target: projected
            ? {
                replicas: projected.replicas,
                at_rps: section_round(projected.atRps),
                vus: section_round(projected.vus),
                mean_ms: section_round(projected.meanMs),
                p95_ms: section_round(projected.p95Ms),
                within_measured_range: projected.withinMeasuredRange,
            }
            : null,
        latency_checks: analysis.latencyChecks.map((c) => ({
            level: c.level,
            vus: c.vus,
            measured_mean_ms: section_round(c.measuredMeanMs),
            little_mean_ms: section_round(c.littleMeanMs),
            model_mean_ms: nullRound(c.modelMeanMs),
            agrees: c.agrees,
        })),
        attribution: {
            fastest_growing: analysis.attribution.fastestGrowing,
            first_to_fail: analysis.attribution.firstToFail,
            endpoints: analysis.attribution.endpoints.map((e) => ({
                endpoint: e.name,
                p95_slope_ms_per_vu: section_round(e.p95SlopeMsPerVu),
                p95_growth_ratio: section_round(e.p95GrowthRatio),
                latency_share: section_round(e.latencyShare),
                first_failing_level: e.firstFailingLevel,
                first_failing_vus: e.firstFailingVus,
                failing_statuses: { ...e.failingStatuses },
            })),
        },
        recommendations: analysis.recommendations.map((r) => ({ rule: r.rule, text: r.text, evidence: [...r.evidence] })),
        notes: [...analysis.notes],
        trend: null,
    };
}
/**
 * The trend against the latest earlier capacity run among `earlier` (newest first or in any order):
 * "capacity 1,840 req/s, 12 % below the run of 2026-11-30 on main". Null when none has a figure.
 */
function capacityTrend(current, earlier) {
    if (current.current_capacity_rps === null)
        return null;
    const previous = earlier.filter((r) => (r.capacity?.current_capacity_rps ?? 0) > 0).sort((a, b) => (a.run.started_at < b.run.started_at ? 1 : -1))[0];
    if (!previous)
        return null;
    const previousRps = previous.capacity.current_capacity_rps;
    const changePct = section_round(((current.current_capacity_rps - previousRps) / previousRps) * 100);
    const date = previous.run.started_at.slice(0, 10);
    const branch = previous.run.ref?.replace(/^refs\/heads\//, '') ?? null;
    const direction = Math.abs(changePct) < 0.5 ? 'the same as' : `${Math.abs(Math.round(changePct))} % ${changePct > 0 ? 'above' : 'below'}`;
    const text = `capacity ${thousands(current.current_capacity_rps)} req/s, ${direction} the run of ${date}${branch ? ` on ${branch}` : ''} (${thousands(previousRps)} req/s)`;
    return { previous_rps: previousRps, previous_at: previous.run.started_at, previous_ref: previous.run.ref, change_pct: changePct, text };
}
function figures(f) {
    return {
        requests: f.requests,
        failures: f.failures,
        rps: section_round(f.throughputRps),
        mean_ms: section_round(f.meanMs),
        p50_ms: section_round(f.p50Ms),
        p95_ms: section_round(f.p95Ms),
        p99_ms: section_round(f.p99Ms),
        error_rate_pct: f.requests > 0 ? section_round((f.failures / f.requests) * 100) : 0,
        statuses: { ...f.statuses },
    };
}
function statusesOf(endpoints) {
    const out = {};
    for (const e of endpoints)
        for (const [code, n] of Object.entries(e.statuses))
            out[code] = (out[code] ?? 0) + n;
    return out;
}
function section_interval(i) {
    return { value: section_sig(i.value), low: finite(section_sig(i.low)), high: finite(section_sig(i.high)) };
}
function finite(value) {
    return Number.isFinite(value) ? value : null;
}
function thousands(value) {
    return Math.round(value).toLocaleString('en-US');
}
function section_round(value) {
    return Math.round(value * 1000) / 1000;
}
function nullRound(value) {
    return value === null || !Number.isFinite(value) ? null : section_round(value);
}
/** κ and σ are small: six significant digits rather than three decimals. */
function section_sig(value) {
    return Number.isFinite(value) ? Number(value.toPrecision(6)) : value;
}

// EXTERNAL MODULE: ./lib/config/load-shape.js
var load_shape = __webpack_require__(4436);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
// EXTERNAL MODULE: ./lib/gate.js + 16 modules
var gate = __webpack_require__(14128);
// EXTERNAL MODULE: ./lib/baseline/regression.js + 2 modules
var regression = __webpack_require__(57490);
// EXTERNAL MODULE: ./lib/k6/exit-codes.js
var exit_codes = __webpack_require__(88298);
// EXTERNAL MODULE: ./lib/sli.js
var sli = __webpack_require__(92477);
// EXTERNAL MODULE: ./lib/k6/json-lines.js
var json_lines = __webpack_require__(9181);
// EXTERNAL MODULE: ./lib/k6/stream-slis.js
var stream_slis = __webpack_require__(26173);
;// CONCATENATED MODULE: ./lib/k6/level-stream.js



/** The gauge each level's first iteration writes (src/capacity/script.ts), and the tag of every sample. */
const level_stream_LEVEL_START_METRIC = 'perf_xi_level_start';
/** Endpoints kept apart per level; the rest share one "(other endpoints)" entry per level. */
const LEVEL_ENDPOINTS_MAX = 50;
/** A level is complete once samples are this far past its end (k6 flushes its output about every second). */
const SETTLE_MS = 1500;
/** Samples ending this long before a level's planned end mean the run was cut short there. */
const CUT_SHORT_MS = 1000;
class LevelAggregator {
    options;
    levels;
    byLevel = new Map();
    keys;
    measured = [];
    lastTimeMs = -Infinity;
    /** Samples seen before their level's start was known, left out as part of its warm-up. */
    early = 0;
    reader = new json_lines/* K6PointReader */.Pj({
        metrics: new Set([
            'http_reqs',
            'http_req_duration',
            'http_req_failed',
            'dropped_iterations',
            level_stream_LEVEL_START_METRIC,
            sli/* REDIRECT_METRICS */.Ly.hops,
            sli/* REDIRECT_METRICS */.Ly.duration,
        ]),
        tags: true,
        extraTags: ['level', 'status'],
    }, (metric, value, timeMs, method, name, _failure, extra) => this.add(metric, value, timeMs, method, name, extra?.[0], extra?.[1]));
    constructor(options) {
        this.options = options;
        this.levels = options.levels.map((plan) => ({ plan, endpoints: new Map(), total: new stream_slis.Stats(), statuses: {}, dropped: 0, done: false }));
        for (const state of this.levels)
            this.byLevel.set(String(state.plan.level), state);
        this.keys = new Map(options.endpoints.map((e) => [`${e.method} ${e.metricName}`, e.key]));
    }
    write(chunk) {
        this.reader.write(chunk);
    }
    /** The end of k6's output: every level not yet complete is completed with what it measured. */
    end() {
        this.reader.end();
        for (const state of this.levels)
            this.complete(state);
    }
    /** When each level began (epoch ms), for the levels that began. */
    get starts() {
        return new Map(this.levels.flatMap((s) => (s.startEpochMs === undefined ? [] : [[s.plan.level, s.startEpochMs]])));
    }
    /** The levels measured (at least one request after their warm-up), in order. */
    result() {
        return { levels: [...this.measured], unreadableLines: this.reader.unreadable, earlySamples: this.early };
    }
    add(metric, value, timeMs, method, name, levelTag, status) {
        if (Number.isFinite(timeMs) && timeMs > this.lastTimeMs) {
            this.lastTimeMs = timeMs;
            this.settle();
        }
        const state = levelTag === undefined ? undefined : this.byLevel.get(levelTag);
        if (!state)
            return;
        if (metric === level_stream_LEVEL_START_METRIC) {
            state.startEpochMs ??= value;
            return;
        }
        if (metric === 'dropped_iterations') {
            state.dropped += value;
            return;
        }
        if (state.startEpochMs === undefined) {
            this.early++;
            return;
        }
        const from = state.startEpochMs + this.options.warmUpMs;
        if (!(timeMs >= from && timeMs <= state.startEpochMs + state.plan.durationMs))
            return;
        const endpoint = this.endpointState(state, method, name);
        switch (metric) {
            case 'http_req_duration':
                endpoint.stats.addDuration(value);
                state.total.addDuration(value);
                return;
            case 'http_reqs': {
                endpoint.stats.requests += value;
                state.total.requests += value;
                const code = status ?? '0';
                endpoint.statuses[code] = (endpoint.statuses[code] ?? 0) + value;
                state.statuses[code] = (state.statuses[code] ?? 0) + value;
                return;
            }
            case 'http_req_failed':
                endpoint.stats.addFailed(value);
                state.total.addFailed(value);
                return;
            case sli/* REDIRECT_METRICS */.Ly.hops:
                endpoint.stats.hops += value;
                state.total.hops += value;
                return;
            case sli/* REDIRECT_METRICS */.Ly.duration:
                ;
                (endpoint.stats.redirected ??= new stream_slis.Stats()).addDuration(value);
                (state.total.redirected ??= new stream_slis.Stats()).addDuration(value);
                return;
        }
    }
    endpointState(state, method, name) {
        let key = this.keys.get(`${method} ${name}`) ?? `${method} ${name || '(no name)'}`;
        if (!state.endpoints.has(key) && state.endpoints.size >= LEVEL_ENDPOINTS_MAX)
            key = `${method} ${stream_slis.OVERFLOW_NAME}`;
        let entry = state.endpoints.get(key);
        if (!entry) {
            entry = { stats: new stream_slis.Stats(), statuses: {} };
            state.endpoints.set(key, entry);
        }
        return entry;
    }
    /** Completes, in order, the levels whose end the samples have passed. */
    settle() {
        for (const state of this.levels) {
            if (state.done)
                continue;
            if (state.startEpochMs === undefined || this.lastTimeMs < state.startEpochMs + state.plan.durationMs + SETTLE_MS)
                return;
            this.complete(state);
        }
    }
    complete(state) {
        if (state.done)
            return;
        state.done = true;
        if (state.startEpochMs === undefined)
            return;
        const from = state.startEpochMs + this.options.warmUpMs;
        // A run stopped early ends its last level where its samples end (well before the level's planned end).
        const plannedEnd = state.startEpochMs + state.plan.durationMs;
        const to = this.lastTimeMs < plannedEnd - CUT_SHORT_MS ? this.lastTimeMs : plannedEnd;
        const windowMs = to - from;
        if (windowMs <= 0)
            return;
        const total = toLevelFigures(state.total, state.statuses, windowMs);
        if (total.requests === 0)
            return;
        const level = {
            level: state.plan.level,
            vus: state.plan.vus,
            measuredSeconds: windowMs / 1000,
            requests: total.requests,
            failures: total.failures,
            throughputRps: total.throughputRps,
            meanMs: total.meanMs,
            p50Ms: total.p50Ms,
            p95Ms: total.p95Ms,
            p99Ms: total.p99Ms,
            errorRate: total.requests > 0 ? total.failures / total.requests : 0,
            droppedIterations: state.dropped,
            endpoints: [...state.endpoints.entries()]
                .map(([name, e]) => ({ name, ...toLevelFigures(e.stats, e.statuses, windowMs) }))
                .filter((e) => e.requests > 0)
                .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        };
        // The per-level histograms are no longer needed: only the figures are kept.
        state.endpoints.clear();
        this.measured.push(level);
        this.options.onLevelEnd?.(level, this.measured);
    }
}
function toLevelFigures(stats, statuses, windowMs) {
    const sli = stats.toSli(windowMs);
    const requests = sli.requests;
    const failures = Math.round(((sli.error_rate_pct ?? 0) / 100) * requests);
    return {
        requests,
        failures,
        throughputRps: requests / (windowMs / 1000),
        meanMs: sli.avg_ms ?? 0,
        p50Ms: sli.p50_ms ?? 0,
        p95Ms: sli.p95_ms ?? 0,
        p99Ms: sli.p99_ms ?? 0,
        statuses: { ...statuses },
    };
}

// EXTERNAL MODULE: ./lib/k6/live-counters.js
var live_counters = __webpack_require__(35365);
// EXTERNAL MODULE: ./lib/k6/rest-control.js
var rest_control = __webpack_require__(30763);
;// CONCATENATED MODULE: ./lib/k6/process-cpu.js
/**
 * k6's own CPU time while it runs, read from /proc/<pid>/stat (utime + stime) twice a second, so a
 * capacity run can tell when the load generator, not the API, was the limit. Linux only: elsewhere
 * (and once k6 has exited) nothing is read and the figure is unknown.
 */

/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat on every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;
const SAMPLE_INTERVAL_MS = 500;
function startCpuSampler(pid, intervalMs = SAMPLE_INTERVAL_MS) {
    const samples = [];
    const read = () => {
        const cpuSeconds = processCpuSeconds(pid);
        if (cpuSeconds !== undefined)
            samples.push({ atEpochMs: Date.now(), cpuSeconds });
    };
    read();
    const timer = setInterval(read, intervalMs);
    timer.unref();
    return {
        stop() {
            clearInterval(timer);
            return samples;
        },
    };
}
/** utime + stime of a process in seconds; undefined where /proc is not there or the process is gone. */
function processCpuSeconds(pid) {
    let stat;
    try {
        stat = (0,external_node_fs_.readFileSync)(`/proc/${pid}/stat`, 'utf8');
    }
    catch {
        return undefined;
    }
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS_PER_SECOND : undefined;
}
/** Cores the process kept busy on average between two moments (null without two samples spanning them). */
function coresBetween(samples, fromEpochMs, toEpochMs) {
    const inside = samples.filter((s) => s.atEpochMs >= fromEpochMs && s.atEpochMs <= toEpochMs);
    if (inside.length < 2)
        return null;
    const first = inside[0];
    const last = inside.at(-1);
    const seconds = (last.atEpochMs - first.atEpochMs) / 1000;
    return seconds > 0 ? (last.cpuSeconds - first.cpuSeconds) / seconds : null;
}

// EXTERNAL MODULE: ./lib/k6/run.js + 1 modules
var k6_run = __webpack_require__(64981);
// EXTERNAL MODULE: ./lib/preflight.js
var preflight = __webpack_require__(27100);
// EXTERNAL MODULE: ./lib/results/build.js
var build = __webpack_require__(25010);
;// CONCATENATED MODULE: ./lib/capacity-gate.js
/**
 * The capacity mode (mode: capacity, --capacity): spec → plan → the plan's script and a stepping
 * script beside it → ONE k6 run through the concurrency levels, read per level as it streams
 * (src/k6/level-stream.ts) and stopped early through k6's REST API when a level is far past the
 * limits or `auto` has seen enough → the analysis (src/capacity/answers.ts) → results with their
 * capacity section. Shares GateIo and GateOutcome with src/gate.ts.
 */






















const CAPACITY_SCRIPT_FILE = 'perf-xi-capacity.js';
const SUMMARY_FILE = 'k6-summary.json';
const RAW_OUTPUT_FILE = 'k6-output.json';
async function runCapacityGate(config, context, io) {
    const settings = config.capacity;
    if (!settings)
        throw new errors/* UserError */.yo('capacity mode needs target-rps and target-p95');
    const { plan, meta, scriptPath: planScriptPath } = await (0,gate/* prepareScript */.p5)(config, io);
    const schedule = levelSchedule(settings);
    io.log(`Capacity: levels ${settings.levels.join(', ')} VUs${settings.auto ? ' (auto: stops once throughput stops growing)' : ''}, ${settings.levelDurationMs / 1000} s each (warm-up ${settings.warmUpMs / 1000} s)`);
    const planScript = (0,external_node_fs_.readFileSync)(planScriptPath, 'utf8');
    const scriptPath = external_node_path_.join(io.workDir, CAPACITY_SCRIPT_FILE);
    (0,external_node_fs_.writeFileSync)(scriptPath, renderCapacityScript(plan, schedule, {
        title: meta.title,
        scriptName: CAPACITY_SCRIPT_FILE,
        planScriptName: gate/* SCRIPT_FILE */.le,
        // The plan's script exports setup() only when it harvests values.
        planHasSetup: /^export function setup\(/m.test(planScript),
        warmUpMs: settings.warmUpMs,
    }));
    for (const warning of await (0,preflight/* checkTarget */.e$)(plan, { env: io.env, configFile: config.configFile, log: io.log }))
        io.warn(warning);
    const k6 = await io.ensureK6({ version: config.k6Version, log: io.log });
    io.log(`Running k6 ${k6.version} (${k6.source}): ${scriptPath}`);
    const address = `127.0.0.1:${await (0,live_counters/* freeLocalPort */.VG)()}`;
    let stopped;
    const aggregator = new LevelAggregator({
        levels: schedule,
        warmUpMs: settings.warmUpMs,
        endpoints: (0,sli/* sliInputs */.of)(plan),
        onLevelEnd: (level, measured) => {
            io.log(`Level ${level.level} (${level.vus} VUs): ${level.throughputRps.toFixed(1)} req/s, p95 ${level.p95Ms.toFixed(1)} ms, errors ${(level.errorRate * 100).toFixed(1)} %`);
            if (stopped || level.level === schedule.length)
                return;
            stopped = stopAfter(measured, settings);
            if (stopped) {
                io.log(`${stopped.reason}; stopping k6 through its REST API`);
                (0,rest_control/* stopTest */.XD)(address).catch((err) => io.warn(`could not stop k6 after ${stopped?.reason}: ${err.message}`));
            }
        },
    });
    let sampler;
    const env = { PERF_XI_BASE_URL: plan.baseUrl };
    for (const name of (0,script_k6/* authEnvNames */.UA)(plan.auth))
        env[name] = io.env[name] ?? '';
    const startedAt = new Date();
    const run = await (0,k6_run/* runK6 */.Bt)({
        k6Path: k6.path,
        scriptPath,
        summaryPath: external_node_path_.join(io.workDir, SUMMARY_FILE),
        cwd: io.workDir,
        env,
        onOutput: io.k6Output,
        rawOutput: { path: external_node_path_.join(io.workDir, RAW_OUTPUT_FILE), onChunk: (chunk) => aggregator.write(chunk) },
        timeLimitMs: (0,k6_run/* k6RunTimeLimitMs */.Jz)(plannedDurationMs(settings), LEVEL_GRACEFUL_STOP_MS),
        signal: io.signal,
        urgent: io.urgent,
        apiAddress: address,
        onSpawn: (pid) => (sampler = startCpuSampler(pid)),
    });
    const finishedAt = new Date();
    const cpuSamples = sampler?.stop() ?? [];
    aggregator.end();
    const read = aggregator.result();
    // k6 takes a moment to stop: a level it began meanwhile is no level of this run.
    const levels = read.levels.filter((l) => stopped === undefined || l.level <= stopped.afterLevel);
    const unreadableLines = read.unreadableLines;
    if (unreadableLines > 0)
        io.warn(`${unreadableLines} line(s) of k6's JSON output could not be read and were skipped`);
    const weStoppedIt = stopped !== undefined && run.exitCode === exit_codes/* K6_EXIT_CODES */.A$.stoppedFromRestApi.code;
    const runError = run.outcome.ran || weStoppedIt ? undefined : run.outcome.reason;
    const starts = aggregator.starts;
    const k6Cores = new Map();
    for (const level of levels) {
        const start = starts.get(level.level);
        const cores = start === undefined ? null : coresBetween(cpuSamples, start + settings.warmUpMs, start + settings.levelDurationMs);
        if (cores !== null)
            k6Cores.set(level.level, cores);
    }
    const thinkTimeMs = mixThinkTimeMs(plan);
    let results = (0,build/* buildResults */.r)({
        context,
        config,
        plan,
        k6Version: k6.version,
        k6ExitCode: run.exitCode,
        startedAt,
        finishedAt,
        wallTimeMs: run.wallTimeMs,
        slis: [],
        total: totalOf(levels),
        verdict: { status: 'error', reasons: [], checks: [], endpointStatus: {} },
        gateFails: false,
    });
    results = {
        ...results,
        run: { ...results.run, profile: 'capacity', load_shape: `capacity:${(0,load_shape/* loadShapeHash */.kO)(config)}` },
        summary: { ...results.summary, vus_max: levels.at(-1)?.vus ?? null, planned_duration_ms: plannedDurationMs(settings) },
    };
    if (levels.length === 0) {
        const reason = runError ?? 'no level measured a request after its warm-up';
        return finish({ ...results, verdict: 'error', reasons: [`nothing was measured: ${reason}`] }, verdictGate('error', config), scriptPath, config, io);
    }
    const targets = {
        targetRps: settings.targetRps,
        targetP95Ms: settings.targetP95Ms,
        replicas: settings.replicas,
        replicaCost: settings.replicaCost,
        headroom: settings.headroom,
        thinkTimeMs,
        errorRateLimit: errorRateLimit(plan),
    };
    const analysis = analyseCapacity(levels, targets);
    const generator = loadGeneratorFindings({ levels, k6Cores, runnerCores: external_node_os_.availableParallelism(), maxVus: config.maxVus });
    let section = capacitySection({ settings, thinkTimeMs, levels, k6Cores, stopped, generator, analysis });
    if (io.history) {
        const history = await io.history();
        // Only runs against the same target and endpoints (the same load shape) make a trend.
        const comparable = history.entries.filter((e) => !(0,regression/* isUnreadable */.GZ)(e) && e.run.load_shape === results.run.load_shape);
        section = { ...section, trend: capacityTrend(section, comparable) };
    }
    const verdict = capacityVerdict(section, runError);
    const modelAnalysis = await capacityAnalysis(analysis, levels, plan, config, io);
    return finish({ ...results, verdict: verdict.status, reasons: verdict.reasons, capacity: section, ...(modelAnalysis ? { analysis: modelAnalysis } : {}) }, verdictGate(verdict.status, config, section), scriptPath, config, io);
}
/**
 * The optional model-written analysis beside the figures (it never changes one). Without a key
 * nothing is sent and one line says so; the rule-based recommendations stand alone.
 */
async function capacityAnalysis(analysis, levels, plan, config, io) {
    if (!config.analysis.apiKey) {
        io.log('Claude analysis: none (no anthropic-api-key); the recommendations above are rule-based');
        return undefined;
    }
    if (levels.length === 0)
        return undefined;
    const { capacityModelAnalysis } = await Promise.all(/* import() */[__webpack_require__.e(414), __webpack_require__.e(716)]).then(__webpack_require__.bind(__webpack_require__, 68716));
    const summaries = Object.fromEntries(plan.endpoints.map((p) => [p.endpoint.key, p.endpoint.summary ?? '']));
    return capacityModelAnalysis(analysis, levels, {
        settings: config.analysis,
        summaries,
        log: io.log,
        warn: io.warn,
        provider: { signal: io.signal, baseURL: io.env.ANTHROPIC_BASE_URL || undefined },
    });
}
function finish(results, gateFails, scriptPath, config, io) {
    const final = { ...results, ci_gate: gateFails ? 'fail' : 'pass' };
    return { results: final, scriptPath, resultsPath: (0,gate/* writeResults */.KB)(final, config, io) };
}
/** pass: the current replicas serve the target; fail: they do not; warn: no figure could be given. */
function capacityVerdict(section, runError) {
    const notes = [
        ...(section.stopped_early ? [section.stopped_early.reason] : []),
        ...(runError ? [`k6 did not finish the run (${runError}); the levels it measured are reported`] : []),
    ];
    if (section.load_generator.limited) {
        return {
            status: 'warn',
            reasons: [`the load generator, not the API, limited this run: ${section.load_generator.findings.map((f) => f.detail).join('; ')}`, ...notes],
        };
    }
    const capacity = `capacity ${fmt(section.current_capacity_rps ?? 0)} req/s within p95 ${section.target_p95_ms} ms`;
    const perReplicas = `with ${section.replicas} replica${section.replicas === 1 ? '' : 's'}`;
    if (section.target_met_with_current_replicas)
        return { status: 'pass', reasons: [`target ${fmt(section.target_rps)} req/s is within reach ${perReplicas}: ${capacity}`, ...notes] };
    const needed = section.replicas_needed === null ? 'no replica count serves it' : `${section.replicas_needed} replicas needed`;
    return { status: 'fail', reasons: [`target ${fmt(section.target_rps)} req/s is out of reach ${perReplicas}: ${capacity}; ${needed}`, ...notes] };
}
function verdictGate(status, config, section) {
    if (config.failOn === 'never')
        return false;
    if (status === 'error')
        return true;
    return config.failOn === 'capacity' && section?.target_met_with_current_replicas === false;
}
/** The strictest error-rate SLO of the plan's endpoints (1 % by default), as a fraction. */
function errorRateLimit(plan) {
    const limits = plan.endpoints.map((p) => p.slo.limits['error-rate']).filter((v) => v !== undefined);
    return (limits.length > 0 ? Math.min(...limits) : 1) / 100;
}
function totalOf(levels) {
    const requests = levels.reduce((sum, l) => sum + l.requests, 0);
    const failures = levels.reduce((sum, l) => sum + l.failures, 0);
    const seconds = levels.reduce((sum, l) => sum + l.measuredSeconds, 0);
    return {
        requests,
        rps: seconds > 0 ? Math.round((requests / seconds) * 1000) / 1000 : null,
        avg_ms: null,
        p50_ms: null,
        p90_ms: null,
        p95_ms: null,
        p99_ms: null,
        max_ms: null,
        error_rate_pct: requests > 0 ? Math.round((failures / requests) * 100_000) / 1000 : null,
        vus_max: levels.at(-1)?.vus ?? null,
    };
}
function fmt(value) {
    return Math.round(value).toLocaleString('en-US');
}


/***/ }),

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


/***/ })

};
