export const id = 346;
export const ids = [346];
export const modules = {

/***/ 85011:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H8: () => (/* binding */ jmeterValue),
/* harmony export */   IE: () => (/* binding */ xmlAttribute),
/* harmony export */   W2: () => (/* binding */ pythonValue),
/* harmony export */   cE: () => (/* binding */ pythonString),
/* harmony export */   ff: () => (/* binding */ jmeterText),
/* harmony export */   iQ: () => (/* binding */ pythonIdentifier),
/* harmony export */   o7: () => (/* binding */ pythonComment),
/* harmony export */   wt: () => (/* binding */ javaHashCode),
/* harmony export */   xK: () => (/* binding */ xmlText)
/* harmony export */ });
/**
 * Escaping for the destinations of the exported load tests: Python source (the locustfile) and a
 * JMeter test plan (XML whose text JMeter itself evaluates for `${...}` functions).
 * Every value from the spec or the config reaches a generated file through one of these.
 */
/**
 * Characters that must not appear raw in generated source: C0 and C1 controls, DEL, the Unicode
 * line and paragraph separators, the byte-order mark and the bidirectional overrides and isolates
 * (which let text display in another order than it runs: "Trojan Source").
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]/g;
const INVISIBLE_ONE = /^[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]$/;
function hex(code, width) {
    return code.toString(16).padStart(width, '0');
}
// ---------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------
const PY_SHORT = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/**
 * A Python 3 string literal (double-quoted) whose value is exactly `value`: quotes and backslashes
 * escaped, invisible characters and lone surrogates as `\xNN` / `\uNNNN` escapes, everything else
 * (printable non-ASCII included) as is, so the literal stays readable.
 */
function pythonString(value) {
    let out = '"';
    for (let i = 0; i < value.length; i++) {
        const ch = value[i];
        const code = value.charCodeAt(i);
        if (PY_SHORT[ch] !== undefined)
            out += PY_SHORT[ch];
        else if (code < 0x100 && INVISIBLE_ONE.test(ch))
            out += `\\x${hex(code, 2)}`;
        else if (INVISIBLE_ONE.test(ch))
            out += `\\u${hex(code, 4)}`;
        else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length && isLowSurrogate(value.charCodeAt(i + 1))) {
            out += ch + value[i + 1];
            i++;
        }
        else if (code >= 0xd800 && code <= 0xdfff)
            out += `\\u${hex(code, 4)}`; // lone surrogate
        else
            out += ch;
    }
    return `${out}"`;
}
function isLowSurrogate(code) {
    return code >= 0xdc00 && code <= 0xdfff;
}
/**
 * A JSON value as a Python literal (dict, list, str, int/float, True/False/None), indented by
 * `indent` spaces per level from `depth`, so `json.dumps` of it gives back the same JSON.
 */
function pythonValue(value, indent = 4, depth = 0) {
    if (value === null || value === undefined)
        return 'None';
    if (value === true)
        return 'True';
    if (value === false)
        return 'False';
    if (typeof value === 'number') {
        if (!Number.isFinite(value))
            throw new Error(`not representable in JSON: ${value}`);
        // JSON.stringify's spelling (1e+21, 0.1) is valid Python and reads back as the same number.
        return JSON.stringify(value);
    }
    if (typeof value === 'string')
        return pythonString(value);
    const pad = ' '.repeat(indent * (depth + 1));
    const end = ' '.repeat(indent * depth);
    if (Array.isArray(value)) {
        if (value.length === 0)
            return '[]';
        return `[\n${value.map((v) => `${pad}${pythonValue(v, indent, depth + 1)},`).join('\n')}\n${end}]`;
    }
    if (typeof value === 'object') {
        const entries = Object.entries(value).filter(([, v]) => v !== undefined);
        if (entries.length === 0)
            return '{}';
        return `{\n${entries.map(([k, v]) => `${pad}${pythonString(k)}: ${pythonValue(v, indent, depth + 1)},`).join('\n')}\n${end}}`;
    }
    throw new Error(`not a JSON value: ${typeof value}`);
}
/** Text for a `#` comment: anything that could end the line or hide characters becomes a space. */
function pythonComment(value) {
    return value.replace(INVISIBLE, ' ');
}
const PYTHON_KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except finally for from global if ' +
    'import in is lambda nonlocal not or pass raise return try while with yield match case type _').split(' '));
/**
 * A readable snake_case Python identifier from an operationId or "method path", unique among
 * `taken` (which it joins) and never one of `reserved`.
 */
function pythonIdentifier(source, taken, reserved = new Set()) {
    const words = source
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean);
    let base = words.map((w) => w.toLowerCase()).join('_') || 'operation';
    if (/^[0-9]/.test(base))
        base = `op_${base}`;
    if (PYTHON_KEYWORDS.has(base) || reserved.has(base) || base.startsWith('__'))
        base = `${base}_op`;
    let name = base;
    for (let n = 2; taken.has(name) || reserved.has(name); n++)
        name = `${base}_${n}`;
    taken.add(name);
    return name;
}
// ---------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------
const XML_ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&apos;',
    '\t': '&#9;',
    '\n': '&#10;',
    '\r': '&#13;',
};
/** Characters XML 1.0 cannot carry at all, not even as character references. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Text for a double- or single-quoted XML attribute. Tab, newline and carriage return become
 * character references, so attribute-value normalisation cannot turn them into spaces. Throws on
 * characters XML 1.0 cannot represent (see {@link jmeterValue}, which never leaves any).
 */
function xmlAttribute(value) {
    assertXmlChars(value);
    return value.replace(/[&<>"'\t\n\r]/g, (ch) => XML_ENTITIES[ch]);
}
/**
 * Text for XML element content: &, < and > escaped (quotes need no escaping there); tab, newline
 * and carriage return as character references, so a multi-line value stays one line of the file
 * (a template may indent the lines it writes, which must not reach inside a value) and a parser
 * cannot turn a carriage return into a newline. Throws like {@link xmlAttribute}.
 */
function xmlText(value) {
    assertXmlChars(value);
    return value.replace(/[&<>\t\n\r]/g, (ch) => XML_ENTITIES[ch]);
}
function assertXmlChars(value) {
    const bad = XML_FORBIDDEN.exec(value);
    if (bad)
        throw new Error(`U+${hex(bad[0].charCodeAt(0), 4).toUpperCase()} cannot be written in XML 1.0`);
}
const JMETER_VARIABLE = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/**
 * A JMeter property value made of literal text, `${VARIABLE}` references and trusted expressions
 * (which must contain a function or variable reference themselves): literal text is
 * inert whatever it contains. With no reference and no `$`, the text is returned unchanged.
 * Otherwise the property is evaluated, so literal `\` and `,` are escaped, every `$` is written
 * `\$` (or `${__char(36)}` when the value has no reference, which is what makes JMeter evaluate
 * it), and characters XML cannot carry become `${__char(N)}`.
 */
function jmeterValue(parts) {
    for (const part of parts) {
        if (typeof part !== 'string' && 'variable' in part && !JMETER_VARIABLE.test(part.variable)) {
            throw new Error(`not a JMeter variable name: ${JSON.stringify(part.variable)}`);
        }
        if (typeof part !== 'string' && 'trusted' in part && !part.trusted.includes('${')) {
            throw new Error(`a trusted JMeter expression must call a function or name a variable: ${JSON.stringify(part.trusted)}`);
        }
    }
    const hasReference = parts.some((p) => typeof p !== 'string');
    const literal = parts.filter((p) => typeof p === 'string').join('');
    const unrepresentable = new RegExp(XML_FORBIDDEN.source, 'g');
    if (!hasReference && !literal.includes('$') && !unrepresentable.test(literal))
        return literal;
    // Evaluated from here on: at least one function or variable is present once we are done.
    return parts
        .map((part) => {
        if (typeof part !== 'string')
            return 'variable' in part ? `\${${part.variable}}` : part.trusted;
        return part.replace(new RegExp(`[\\\\,$]|${XML_FORBIDDEN.source}`, 'g'), (ch) => {
            if (ch === '\\' || ch === ',')
                return `\\${ch}`;
            if (ch === '$')
                return hasReference ? '\\$' : '${__char(36)}';
            return `\${__char(${ch.charCodeAt(0)})}`;
        });
    })
        .join('');
}
/** A literal JMeter property value: {@link jmeterValue} of one string. */
function jmeterText(value) {
    return jmeterValue([value]);
}
/** Java's String.hashCode, which JMeter uses to name the entries of a collection property. */
function javaHashCode(value) {
    let hash = 0;
    for (let i = 0; i < value.length; i++)
        hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
    return hash;
}


/***/ }),

/***/ 88346:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderLocustfile: () => (/* binding */ renderLocustfile)
/* harmony export */ });
/* harmony import */ var _script_k6_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(17074);
/* harmony import */ var _plan_profiles_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(97145);
/* harmony import */ var _script_templates_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(31132);
/* harmony import */ var _spec_model_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(30098);
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(85011);
/* harmony import */ var _operations_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(44037);






/** Names a task method must not take: attributes and methods Locust's User classes define. */
const USER_ATTRIBUTES = new Set(('abstract client context environment fixed_count greenlet host json on_start on_stop run start stop tasks ' + 'wait wait_time weight send').split(' '));
/** Module-level names of the locustfile (lower-cased), which an operation's constant must not take. */
const MODULE_NAMES = new Set(('base_url require_env auth_headers auth_query auth_cookie operation start_users stages spawn_rate profile_shape ' +
    'slos measure check_slos base64 json logging os quote urlsplit origin_of fast_http_user load_test_shape constant ' +
    'constant_throughput events task standard_user critical_user data_intensive_user fast_request unlabelled_body ' +
    'unlabelled_body_request').split(' '));
/** Percentiles Locust can report for each latency SLO, as fractions. */
const PERCENTILE = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };
function renderLocustfile(plan, meta) {
    return renderTemplate(locustView(plan, meta));
}
/** Class names of the categories' users (CamelCase, so no module constant can take one). */
const USER_CLASSES = { standard: 'StandardUser', critical: 'CriticalUser', 'data-intensive': 'DataIntensiveUser' };
function locustView(plan, meta) {
    const auth = (0,_script_k6_js__WEBPACK_IMPORTED_MODULE_0__/* .authView */ .WL)(plan);
    const methods = new Set();
    const constants = new Set();
    const operations = (0,_operations_js__WEBPACK_IMPORTED_MODULE_4__/* .exportOperations */ .JC)(plan).map((op) => {
        const method = (0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .pythonIdentifier */ .iQ)(op.operationId ?? `${op.method.toLowerCase()} ${op.pathTemplate}`, methods, USER_ATTRIBUTES);
        const constant = (0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .pythonIdentifier */ .iQ)(method, constants, MODULE_NAMES).toUpperCase();
        return { ...operationView(op, auth), method, constant };
    });
    const scenarios = (0,_operations_js__WEBPACK_IMPORTED_MODULE_4__/* .exportScenarios */ .GN)(plan);
    const open = scenarios.some((s) => s.load.perUserRate !== undefined);
    return {
        title: meta.title,
        source: meta.source,
        profile: plan.profile,
        baseUrl: plan.baseUrl,
        auth,
        operations,
        usesJson: operations.some((op) => op.isJsonBody),
        usesUnlabelledBody: operations.some((op) => op.unlabelledBody),
        usesOrigin: operations.some((op) => op.fromOrigin),
        usesRedirectAnswers: operations.some((op) => op.answersWithRedirect),
        userClasses: scenarios.map(({ scenario, operations: ops, load }) => ({
            name: USER_CLASSES[scenario.category],
            category: scenario.category,
            description: `${ops.length} endpoint${ops.length === 1 ? '' : 's'}, ${Number((scenario.share * 100).toFixed(1))}% of the load: ${load.description}`,
            weight: peakUsers(load.users),
            perUserRate: load.perUserRate,
            thinkTimeSeconds: (0,_operations_js__WEBPACK_IMPORTED_MODULE_4__/* .seconds */ .YA)(scenario.thinkTimeMs),
            tasks: scenario.endpoints.map((i) => operations[i]),
        })),
        open,
        shape: shapeView(plan, scenarios.map((s) => s.load)),
        slos: operations.filter((op) => op.slos.length > 0),
    };
}
function peakUsers(users) {
    return users.type === 'constant-vus' ? users.vus : Math.max(users.startVus, ...users.stages.map((s) => s.target));
}
function operationView(op, auth) {
    const authHeaders = op.authenticated && auth.hasHeaders;
    const authCookie = op.authenticated && auth.cookie !== undefined;
    const cookie = op.cookies.map(([name, value]) => `${name}=${value}`).join('; ');
    return {
        key: op.key,
        summary: op.summary,
        httpMethod: op.method,
        name: op.pathTemplate,
        // Locust sends a path after its host, and a full URL as it is.
        path: op.server.kind === 'absolute' ? op.server.url + op.path : op.server.prefix + op.path,
        fromOrigin: op.server.kind === 'base-origin',
        authQueryJoin: op.authenticated && auth.apiKeyQuery ? (op.path.includes('?') ? '&' : '?') : undefined,
        authHeaders,
        headers: op.headers.map(([name, value]) => ({ name, value })),
        // Cookies travel in one Cookie header, as k6 sends its cookies object.
        cookie: cookie === '' ? undefined : cookie,
        authCookie,
        showHeaders: authHeaders || authCookie || op.headers.length > 0 || cookie !== '',
        isJsonBody: op.body?.json !== undefined,
        jsonBody: op.body?.json,
        isTextBody: op.body !== undefined && op.body.json === undefined,
        textBody: op.body?.text,
        // No Content-Type goes with it (the spec declares no media type): geventhttpclient would add one.
        unlabelledBody: op.body !== undefined && !op.hasContentType,
        weight: op.weight,
        ok: op.successStatuses.length > 0 ? { statuses: op.successStatuses } : undefined,
        answersWithRedirect: (0,_spec_model_js__WEBPACK_IMPORTED_MODULE_5__/* .declaresRedirect */ ._L)(op.successStatuses),
        slos: sloChecks(op),
    };
}
/** One Python tuple per SLO limit: (statistic, limit, text for the message). */
function sloChecks(op) {
    const checks = [];
    for (const [name, fraction] of Object.entries(PERCENTILE)) {
        const limit = op.slo[name];
        if (limit !== undefined)
            checks.push({ stat: 'percentile', arg: fraction, limit, label: `${name} < ${limit} ms` });
    }
    if (op.slo.max !== undefined)
        checks.push({ stat: 'max', arg: 0, limit: op.slo.max, label: `max < ${op.slo.max} ms` });
    const errorRate = op.slo['error-rate'];
    if (errorRate !== undefined)
        checks.push({ stat: 'error-rate', arg: 0, limit: errorRate, label: `errors < ${errorRate} %` });
    const minRps = op.slo['min-rps'];
    if (minRps !== undefined)
        checks.push({ stat: 'min-rps', arg: 0, limit: minRps, label: `at least ${minRps} req/s` });
    return checks;
}
/**
 * The LoadTestShape: the scenarios' users added up. They share the profile's stage durations, so
 * the sum is stage by stage; in the closed model it is the profile's own VUs.
 */
function shapeView(plan, loads) {
    const description = loads.length === 1
        ? loads[0].description
        : `${(0,_plan_profiles_js__WEBPACK_IMPORTED_MODULE_1__/* .describeExecutor */ .pO)(plan.executor)} (k6 ${plan.executor.type}) as the users of ${loads.length} classes added up`;
    const users = loads.map((l) => l.users);
    const first = users[0];
    const sum = (pick) => users.reduce((total, u) => total + pick(u), 0);
    if (first.type === 'constant-vus') {
        const total = sum((u) => (u.type === 'constant-vus' ? u.vus : 0));
        return { description, startUsers: total, stages: [{ seconds: (0,_operations_js__WEBPACK_IMPORTED_MODULE_4__/* .seconds */ .YA)(first.durationMs), users: total }], spawnRate: Math.max(1, total) };
    }
    const ramps = users;
    const startUsers = ramps.reduce((total, u) => total + u.startVus, 0);
    const stages = first.stages.map((stage, i) => ({ seconds: (0,_operations_js__WEBPACK_IMPORTED_MODULE_4__/* .seconds */ .YA)(stage.durationMs), users: ramps.reduce((total, u) => total + u.stages[i].target, 0) }));
    const peak = Math.max(startUsers, ...stages.map((s) => s.users));
    // Each tick moves straight to the count k6 would have at that second.
    return { description, startUsers, stages, spawnRate: Math.max(1, peak) };
}
const renderTemplate = (0,_script_templates_js__WEBPACK_IMPORTED_MODULE_2__/* .templateRenderer */ .MP)('locustfile.py.hbs', {
    // A Python string literal; numbers as numbers; any other JSON value as a Python literal.
    py: (value, ...rest) => {
        const depth = typeof rest[0] === 'number' ? rest[0] : 0;
        return typeof value === 'string' ? (0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .pythonString */ .cE)(value) : (0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .pythonValue */ .W2)(value, 4, depth);
    },
    comment: (value) => (0,_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .pythonComment */ .o7)(String(value ?? '')),
    ident: (0,_script_templates_js__WEBPACK_IMPORTED_MODULE_2__/* .identifierHelper */ .Eq)(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Python'),
});


/***/ }),

/***/ 44037:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  JC: () => (/* binding */ exportOperations),
  GN: () => (/* binding */ exportScenarios),
  YA: () => (/* binding */ seconds)
});

// UNUSED EXPORTS: weightOf, wholeWeights

// EXTERNAL MODULE: ./lib/plan/category-scenarios.js
var category_scenarios = __webpack_require__(13009);
// EXTERNAL MODULE: ./lib/plan/profiles.js
var profiles = __webpack_require__(97145);
// EXTERNAL MODULE: ./lib/spec/request.js
var spec_request = __webpack_require__(60558);
;// CONCATENATED MODULE: ./lib/export/load-shape.js
/** Paced users get enough headroom for iterations of up to this long at the peak rate. */
const PACED_ITERATION_MS = 200;
/** The executor's load as users over time; `thinkTimeMs` is the pause after each request (open model: part of pacing). */
function exportLoad(executor, thinkTimeMs = 0) {
    switch (executor.type) {
        case 'constant-vus':
            return { model: 'closed', users: executor, description: `${usersText(executor.vus)} for ${executor.durationMs / 1000} s (k6 constant-vus)` };
        case 'ramping-vus': {
            const peak = Math.max(executor.startVus, ...executor.stages.map((s) => s.target));
            return {
                model: 'closed',
                users: executor,
                description: `${executor.stages.length} stages from ${usersText(executor.startVus)}, peak ${peak} (k6 ramping-vus)`,
            };
        }
        case 'constant-arrival-rate': {
            const users = pacedUsers(executor.rate, executor.maxVus, thinkTimeMs);
            const perUserRate = pacedRate(executor.rate / users, thinkTimeMs);
            return {
                model: 'open',
                users: { type: 'constant-vus', vus: users, durationMs: executor.durationMs },
                perUserRate,
                description: `${executor.rate} requests/s for ${executor.durationMs / 1000} s: ${usersText(users)} at up to ${perUserRate}/s each (k6 constant-arrival-rate)`,
            };
        }
        case 'ramping-arrival-rate': {
            const peakRate = Math.max(executor.startRate, ...executor.stages.map((s) => s.target));
            const peakUsers = pacedUsers(peakRate, executor.maxVus, thinkTimeMs);
            const perUserRate = pacedRate(peakRate / peakUsers, thinkTimeMs);
            const usersFor = (rate) => (rate <= 0 ? 0 : Math.min(peakUsers, Math.max(1, Math.round(rate / perUserRate))));
            return {
                model: 'open',
                users: {
                    type: 'ramping-vus',
                    startVus: usersFor(executor.startRate),
                    stages: executor.stages.map((s) => ({ durationMs: s.durationMs, target: usersFor(s.target) })),
                },
                perUserRate,
                description: `${executor.stages.length} stages from ${executor.startRate} to a peak of ${peakRate} requests/s: up to ${usersText(peakUsers)} at up to ${perUserRate}/s each (k6 ramping-arrival-rate)`,
            };
        }
    }
}
function usersText(n) {
    return n === 1 ? '1 user' : `${n} users`;
}
function pacedUsers(peakRate, maxVus, thinkTimeMs) {
    return Math.max(1, Math.min(maxVus, Math.ceil((peakRate * (PACED_ITERATION_MS + thinkTimeMs)) / 1000)));
}
/** Requests a second for one paced user: its share of the rate, but at most one per think time. */
function pacedRate(rate, thinkTimeMs) {
    return roundRate(thinkTimeMs > 0 ? Math.min(rate, 1000 / thinkTimeMs) : rate);
}
function roundRate(rate) {
    return Number(rate.toPrecision(6));
}

;// CONCATENATED MODULE: ./lib/export/operations.js




/** The weight of one endpoint: a positive number. */
function weightOf(planned) {
    const weight = planned.weight;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
        throw new Error(`${planned.endpoint.key}: weight must be a positive number, got ${String(weight)}`);
    }
    return weight;
}
/** Whole turns per endpoint with the weights' ratios, from the schedule k6's script uses. */
function wholeWeights(endpoints) {
    const weights = endpoints.map(weightOf);
    const counts = weights.map(() => 0);
    for (const index of (0,profiles/* weightedSchedule */.ls)(weights))
        counts[index] += 1;
    return counts;
}
/** The plan's scenarios (one per category present, as in the k6 script) with their operations. */
function exportScenarios(plan) {
    const operations = exportOperations(plan);
    return (0,category_scenarios/* categoryScenarios */.cf)(plan).map((scenario) => ({
        scenario,
        operations: scenario.endpoints.map((i) => operations[i]),
        load: exportLoad(scenario.executor, scenario.thinkTimeMs),
    }));
}
function exportOperations(plan) {
    // Whole turns within each category, as each k6 scenario schedules its own operations.
    const weights = [];
    for (const category of new Set(plan.endpoints.map((p) => p.category))) {
        const indexes = plan.endpoints.flatMap((p, i) => (p.category === category ? [i] : []));
        const whole = wholeWeights(indexes.map((i) => plan.endpoints[i]));
        indexes.forEach((i, k) => (weights[i] = whole[k]));
    }
    return plan.endpoints.map((planned, index) => {
        const { request, endpoint } = planned;
        const hasBody = request.body !== undefined;
        const setsType = hasBody && request.contentType !== undefined;
        // As in k6, the body's Content-Type replaces a Content-Type header parameter.
        const headers = Object.entries(request.headers).filter(([name]) => !(setsType && name.toLowerCase() === 'content-type'));
        if (setsType)
            headers.push(['Content-Type', request.contentType]);
        // The same decision as the k6 script's: a body the spec declares no media type for is JSON too.
        const isJson = hasBody && endpoint.body !== undefined && (0,spec_request/* isJsonBody */.x3)(endpoint.body);
        return {
            key: endpoint.key,
            method: endpoint.method,
            pathTemplate: endpoint.path,
            path: request.path,
            server: planned.server,
            category: planned.category,
            summary: endpoint.summary,
            operationId: endpoint.operationId,
            headers,
            hasContentType: headers.some(([name]) => name.toLowerCase() === 'content-type'),
            cookies: Object.entries(request.cookies),
            body: hasBody ? { text: request.body, json: isJson ? JSON.parse(request.body) : undefined } : undefined,
            authenticated: planned.authenticated && plan.auth.type !== 'none',
            weight: weights[index],
            successStatuses: [...endpoint.successStatuses],
            slo: { ...planned.slo.limits },
        };
    });
}
/** Seconds with at most millisecond precision, for durations written into a test file. */
function seconds(ms) {
    return Math.round(ms) / 1000;
}


/***/ })

};
