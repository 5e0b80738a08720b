export const id = 195;
export const ids = [195];
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

/***/ 70195:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BASE_URL_PROPERTY: () => (/* binding */ BASE_URL_PROPERTY),
  JMETER_VERSION: () => (/* binding */ JMETER_VERSION),
  baseOriginExpression: () => (/* binding */ baseOriginExpression),
  baseUrlExpression: () => (/* binding */ baseUrlExpression),
  renderJmeterPlan: () => (/* binding */ renderJmeterPlan)
});

// EXTERNAL MODULE: ./lib/script/k6.js
var k6 = __webpack_require__(17074);
// EXTERNAL MODULE: ./lib/script/templates.js
var templates = __webpack_require__(31132);
// EXTERNAL MODULE: ./lib/spec/model.js
var model = __webpack_require__(30098);
// EXTERNAL MODULE: ./lib/export/escape.js
var export_escape = __webpack_require__(85011);
// EXTERNAL MODULE: ./lib/export/operations.js + 1 modules
var export_operations = __webpack_require__(44037);
// EXTERNAL MODULE: ./lib/plan/profiles.js
var profiles = __webpack_require__(97145);
;// CONCATENATED MODULE: ./lib/export/thread-groups.js
/** How many steps a falling stage becomes at most: it bounds the number of Thread Groups. */
const MAX_STEPS_PER_FALL = 10;
function threadGroupsFor(executor) {
    if (executor.type === 'constant-vus') {
        return [{ threads: executor.vus, delaySeconds: 0, rampSeconds: 0, durationSeconds: Math.max(1, Math.round(executor.durationMs / 1000)) }];
    }
    const lives = livesOf(executor.startVus, executor.stages.map((s) => ({ seconds: s.durationMs / 1000, target: s.target })));
    // One group per run of consecutive users that start in the same stage and stop at the same time.
    const byKey = new Map();
    for (const life of lives) {
        const key = `${life.stage}:${life.end}`;
        byKey.set(key, [...(byKey.get(key) ?? []), life]);
    }
    const groups = [];
    for (const members of byKey.values()) {
        members.sort((a, b) => a.user - b.user);
        let run = [];
        const flush = () => {
            if (run.length === 0)
                return;
            const first = run[0];
            const delay = Math.round(first.start);
            const ramp = first.stage === -1 ? 0 : Math.round(run.length * first.spacing);
            groups.push({ threads: run.length, delaySeconds: delay, rampSeconds: ramp, durationSeconds: Math.max(1, Math.round(first.end) - delay) });
            run = [];
        };
        for (const life of members) {
            if (run.length > 0 && life.user !== run[run.length - 1].user + 1)
                flush();
            run.push(life);
        }
        flush();
    }
    return groups.sort((a, b) => a.delaySeconds - b.delaySeconds || b.durationSeconds - a.durationSeconds || a.rampSeconds - b.rampSeconds || b.threads - a.threads);
}
/** When each virtual user runs: one entry per uninterrupted stretch. */
function livesOf(startVus, stages) {
    const total = stages.reduce((sum, s) => sum + s.seconds, 0);
    const peak = Math.max(startVus, ...stages.map((s) => s.target));
    const lives = [];
    for (let user = 1; user <= peak; user++) {
        let current = user <= startVus ? { user, stage: -1, start: 0, spacing: 0 } : undefined;
        let t0 = 0;
        let from = startVus;
        for (const [index, stage] of stages.entries()) {
            const to = stage.target;
            if (to > from && !current && user > from && user <= to) {
                const spacing = stage.seconds / (to - from);
                current = { user, stage: index, start: t0 + (user - 0.5 - from) * spacing, spacing };
            }
            else if (to < from && current && user > to && user <= from) {
                const exact = t0 + ((from - user + 0.5) * stage.seconds) / (from - to);
                // JMeter stops threads on whole seconds, so a step is never shorter than one.
                const step = stage.seconds / Math.max(1, Math.min(MAX_STEPS_PER_FALL, from - to, Math.floor(stage.seconds)));
                lives.push({ ...current, end: Math.max(current.start, Math.round(t0 + Math.round((exact - t0) / step) * step)) });
                current = undefined;
            }
            t0 += stage.seconds;
            from = to;
        }
        if (current)
            lives.push({ ...current, end: Math.round(total) });
    }
    // A stretch that rounds to nothing never runs.
    return lives.filter((life) => Math.round(life.end) > Math.round(life.start));
}
/** Virtual users running at `second` under these groups (for tests and documentation). */
function threadsAt(groups, second) {
    let running = 0;
    for (const g of groups) {
        for (let j = 0; j < g.threads; j++) {
            const start = g.delaySeconds + (j * g.rampSeconds) / g.threads;
            if (second >= start && second < g.delaySeconds + g.durationSeconds)
                running++;
        }
    }
    return running;
}

;// CONCATENATED MODULE: ./lib/export/jmeter.js







/** The JMeter release the plans are written for and tested with. */
const JMETER_VERSION = '5.6.3';
/** The property that overrides the base URL: `jmeter -Jperfxi.base_url=http://host:8080`. */
const BASE_URL_PROPERTY = 'perfxi.base_url';
/** Names of the Test Fragments that hold each category's requests (the Module Controllers point at them). */
const FRAGMENT_NAME = 'Perf-Xi operations';
const TEST_PLAN_NAME = 'Perf-Xi load test';
function renderJmeterPlan(plan, meta) {
    return renderTestPlan(jmeterView(plan, meta));
}
function jmeterView(plan, meta) {
    const auth = authView(plan);
    const operations = (0,export_operations/* exportOperations */.JC)(plan);
    const scenarios = (0,export_operations/* exportScenarios */.GN)(plan);
    const usesOrigin = operations.some((op) => op.server.kind === 'base-origin');
    const files = bodyFiles(operations);
    return {
        jmeterVersion: JMETER_VERSION,
        testPlanName: TEST_PLAN_NAME,
        comments: (0,export_escape/* jmeterText */.ff)(planComments(plan, meta, operations, scenarios)),
        variables: [
            { name: 'BASE_URL', value: (0,export_escape/* jmeterValue */.H8)(baseUrlExpression(plan.baseUrl)) },
            ...(usesOrigin ? [{ name: 'BASE_ORIGIN', value: (0,export_escape/* jmeterValue */.H8)(baseOriginExpression(plan.baseUrl)) }] : []),
            ...auth.variables,
            ...files.variables,
        ],
        envCheck: auth.envNames.length > 0 ? { script: envCheckScript(auth.envNames) } : undefined,
        scenarios: scenarios.map((s) => scenarioView(s, auth, files.variableFor)),
    };
}
/** One category: its fragment of operations with its timer, and its Thread Groups. */
function scenarioView({ scenario, operations, load }, auth, bodyFile) {
    const fragmentName = `${FRAGMENT_NAME}: ${scenario.category}`;
    const groups = threadGroupsFor(load.users);
    return {
        fragmentName,
        threadGroups: groups.map((g, i) => ({
            name: groups.length === 1
                ? `${scenario.category}: ${users(g.threads)} for ${g.durationSeconds} s`
                : `${scenario.category}, layer ${i + 1}: ${users(g.threads)}, starting from ${g.delaySeconds} s over ${g.rampSeconds} s, until ${g.delaySeconds + g.durationSeconds} s`,
            ...g,
        })),
        // The Module Controllers find the fragment by name: the tree's root, the Test Plan, the fragment.
        modulePath: ['Test Plan', TEST_PLAN_NAME, fragmentName].map((value) => ({ key: String((0,export_escape/* javaHashCode */.wt)(value)), value })),
        thinkTimeMs: load.model === 'closed' && scenario.thinkTimeMs > 0 ? Math.round(scenario.thinkTimeMs) : undefined,
        // Constant Throughput Timer, "this thread only": requests per minute for each thread.
        pacing: load.perUserRate !== undefined
            ? { perMinute: String(Number((load.perUserRate * 60).toPrecision(6))), label: `Pace: at most ${load.perUserRate} requests/s per thread` }
            : undefined,
        operations: operations.map((op) => operationView(op, auth, bodyFile(op))),
    };
}
function users(n) {
    return n === 1 ? '1 user' : `${n} users`;
}
function planComments(plan, meta, operations, scenarios) {
    const lines = [
        `Generated by Perf-Xi for ${meta.title} from ${meta.source}. Profile: ${plan.profile}: ${(0,profiles/* describeExecutor */.pO)(plan.executor)} (k6 ${plan.executor.type}), shared by the endpoint categories:`,
        ...scenarios.map(({ scenario, load }) => `${scenario.category}: ${Number((scenario.share * 100).toFixed(1))}% of the load, ${load.description}; ` +
            `${scenario.thinkTimeMs > 0 ? `${scenario.thinkTimeMs} ms think time` : 'no think time'}.`),
        `Run: jmeter -n -t ${meta.scriptName} -l results.jtl [-J${BASE_URL_PROPERTY}=URL]; secrets come from the environment.`,
        'SLOs (judge them from the results file):',
        ...operations.map((op) => `${op.key}: ${sloText(op) || 'none'}`),
    ];
    return lines.join('\n');
}
function sloText(op) {
    const parts = [];
    for (const name of ['p50', 'p90', 'p95', 'p99', 'max']) {
        if (op.slo[name] !== undefined)
            parts.push(`${name} < ${op.slo[name]} ms`);
    }
    if (op.slo['error-rate'] !== undefined)
        parts.push(`errors < ${op.slo['error-rate']} %`);
    if (op.slo['min-rps'] !== undefined)
        parts.push(`at least ${op.slo['min-rps']} req/s`);
    return parts.join(', ');
}
/**
 * The base URL as the default of a Groovy expression. Characters that would need escaping in any
 * of the three layers it passes through (JMeter function argument, Groovy single-quoted string,
 * XML) are percent-encoded, which leaves the URL meaning the same.
 */
function baseUrlExpression(baseUrl) {
    return [{ trusted: `\${__groovy(${baseUrlSource(baseUrl)})}` }];
}
/** The scheme://host[:port] of the base URL, from the same sources as BASE_URL. */
function baseOriginExpression(baseUrl) {
    return [{ trusted: `\${__groovy(def u = new URL(${baseUrlSource(baseUrl)}); u.protocol + '://' + u.authority)}` }];
}
/** Groovy for the base URL: the property, else the environment, else the plan's (see baseUrlExpression). */
function baseUrlSource(baseUrl) {
    const safe = Array.from(baseUrl)
        .map((ch) => /^[A-Za-z0-9\-._~:/?#[\]@!&*+;=%]$/.test(ch)
        ? ch
        : Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''))
        .join('');
    return `props.getProperty('${BASE_URL_PROPERTY}') ?: System.getenv('PERF_XI_BASE_URL') ?: '${safe}'`;
}
/** `${__groovy(...)}` reading one environment variable ('' when unset; the setUp check stops the test first). */
function envExpression(name) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        throw new Error(`not an environment variable name: ${JSON.stringify(name)}`);
    return `System.getenv('${name}') ?: ''`;
}
function authView(plan) {
    const auth = plan.auth;
    const variables = [];
    let header;
    let query;
    let cookie;
    switch (auth.type) {
        case 'none':
            break;
        case 'bearer':
            variables.push({ name: 'PERFXI_AUTHORIZATION', value: ['Bearer ', { trusted: `\${__groovy(${envExpression(auth['token-env'])})}` }] });
            header = { name: 'Authorization', value: [{ variable: 'PERFXI_AUTHORIZATION' }] };
            break;
        case 'basic': {
            const pair = `((${envExpression(auth['username-env'])}) + ':' + (${envExpression(auth['password-env'])})).getBytes('UTF-8').encodeBase64().toString()`;
            variables.push({ name: 'PERFXI_AUTHORIZATION', value: ['Basic ', { trusted: `\${__groovy(${pair})}` }] });
            header = { name: 'Authorization', value: [{ variable: 'PERFXI_AUTHORIZATION' }] };
            break;
        }
        case 'api-key':
            if (auth.in === 'query') {
                // Commas inside a function's argument are escaped for JMeter with a backslash.
                const encoded = `java.net.URLEncoder.encode(${envExpression(auth['value-env'])}\\, 'UTF-8').replace('+'\\, '%20')`;
                variables.push({ name: 'PERFXI_AUTH_QUERY', value: [`${encodeURIComponent(auth.name)}=`, { trusted: `\${__groovy(${encoded})}` }] });
                query = [{ variable: 'PERFXI_AUTH_QUERY' }];
            }
            else {
                variables.push({ name: 'PERFXI_API_KEY', value: [{ trusted: `\${__groovy(${envExpression(auth['value-env'])})}` }] });
                header = { name: auth.name, value: [{ variable: 'PERFXI_API_KEY' }] };
            }
            break;
        case 'cookie':
            variables.push({ name: 'PERFXI_AUTH_COOKIE', value: [`${auth.name}=`, { trusted: `\${__groovy(${envExpression(auth['value-env'])})}` }] });
            cookie = [{ variable: 'PERFXI_AUTH_COOKIE' }];
            break;
    }
    return {
        envNames: (0,k6/* authEnvNames */.UA)(auth),
        variables: variables.map((v) => ({ name: v.name, value: (0,export_escape/* jmeterValue */.H8)(v.value) })),
        header,
        query,
        cookie,
    };
}
/**
 * Groovy for the setUp Thread Group: fails (and so stops the test) when a secret is missing,
 * otherwise marks its own sample ignored so it never reaches the results.
 */
function envCheckScript(names) {
    for (const name of names)
        envExpression(name);
    return [
        `def missing = [${names.map((n) => `'${n}'`).join(', ')}].findAll { !System.getenv(it) };`,
        'if (missing) {',
        "def message = missing.join(' and ') + ' not set: pass it to JMeter through the environment';",
        "log.error(message); SampleResult.setSuccessful(false); SampleResult.setResponseCode('500'); SampleResult.setResponseMessage(message)",
        '} else { SampleResult.setIgnore() }',
    ].join(' ');
}
/**
 * Methods HttpClient 4 sends with a request entity (JMeter's DELETE is one too): without a body
 * JMeter gives them an empty form, which HttpClient labels application/x-www-form-urlencoded.
 */
const ENTITY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Requests that must go without a Content-Type header (ExportOperation.hasContentType), and the
 * files their bodies are sent from.
 *
 * HttpClient 4 adds the Content-Type of the request entity whenever the request has no such
 * header, and JMeter's entities all have one (Body Data: text/plain; charset=UTF-8; no body on a
 * POST, PUT, PATCH or DELETE: an empty URL-encoded form), except one: a single file with no
 * parameter name is sent as the whole body, and with no MIME type it has no Content-Type (nor
 * does JMeter add one, unless `http.post_add_content_type_if_missing=true`). The Java
 * implementation is no way out: HttpURLConnection labels every POST body a form, and has no PATCH.
 *
 * So those bodies are files: one Test Plan variable per distinct body, whose `__groovy` writes it
 * (base64, which needs no escaping in any layer) into a temporary file when the test starts,
 * deleted when JMeter exits, and holds that file's path. Variables evaluate once per test, as the
 * auth variables do.
 */
function bodyFiles(operations) {
    const fromFile = (op) => !op.hasContentType && (op.body !== undefined || ENTITY_METHODS.has(op.method));
    const files = new Map();
    let bodies = 0;
    for (const op of operations.filter(fromFile)) {
        const text = op.body?.text ?? '';
        let file = files.get(text);
        if (!file) {
            file = { name: text === '' ? 'PERFXI_EMPTY_BODY' : `PERFXI_BODY_${++bodies}`, keys: [] };
            files.set(text, file);
        }
        file.keys.push(op.key);
    }
    return {
        variables: [...files].map(([text, file]) => ({
            name: file.name,
            value: (0,export_escape/* jmeterValue */.H8)([{ trusted: `\${__groovy(${bodyFileScript(text)})}` }]),
            description: (0,export_escape/* jmeterText */.ff)(`${text === '' ? 'The empty body' : 'The body'} of ${file.keys.join(', ')}: a temporary file, so that no Content-Type goes with it`),
        })),
        variableFor: (op) => (fromFile(op) ? files.get(op.body?.text ?? '').name : undefined),
    };
}
/** Groovy that writes `text` (UTF-8) into a new temporary file, deleted when JMeter exits, and returns its path. */
function bodyFileScript(text) {
    const write = text === '' ? '' : ` f.bytes = '${Buffer.from(text, 'utf8').toString('base64')}'.decodeBase64();`;
    // The comma between createTempFile's arguments is escaped for JMeter's function parser.
    return `def f = File.createTempFile('perf-xi-body-'\\, '.bin'); f.deleteOnExit();${write} f.absolutePath`;
}
/** The sampler's comment on why its body comes from a file. */
function bodyFileNote(op, variable) {
    return op.body === undefined
        ? `Sent with no body and no Content-Type, from the empty file ${variable} (JMeter labels a ${op.method} without a body a form).`
        : `The spec declares no media type for this body: sent without a Content-Type, from the file ${variable} with no MIME type (JMeter labels Body Data text/plain).`;
}
/** Where an operation's path goes: after BASE_URL, after BASE_ORIGIN, or after a server of its own. */
function urlStart(server) {
    switch (server.kind) {
        case 'base-url':
            return [{ variable: 'BASE_URL' }, server.prefix];
        case 'base-origin':
            return [{ variable: 'BASE_ORIGIN' }, server.prefix];
        case 'absolute':
            return [server.url];
    }
}
function operationView(op, auth, bodyFile) {
    const headers = [];
    if (op.authenticated && auth.header)
        headers.push({ name: (0,export_escape/* jmeterText */.ff)(auth.header.name), value: (0,export_escape/* jmeterValue */.H8)(auth.header.value) });
    for (const [name, value] of op.headers)
        headers.push({ name: (0,export_escape/* jmeterText */.ff)(name), value: (0,export_escape/* jmeterText */.ff)(value) });
    const cookieParts = [op.cookies.map(([name, value]) => `${name}=${value}`).join('; ')];
    if (op.authenticated && auth.cookie)
        cookieParts.push(op.cookies.length > 0 ? '; ' : '', ...auth.cookie);
    const cookie = (0,export_escape/* jmeterValue */.H8)(cookieParts);
    if (cookie !== '')
        headers.push({ name: 'Cookie', value: cookie });
    const pathParts = urlStart(op.server);
    pathParts.push(op.path);
    if (op.authenticated && auth.query)
        pathParts.push(op.path.includes('?') ? '&' : '?', ...auth.query);
    const statuses = op.successStatuses.map(String);
    const comment = [op.summary, bodyFile && bodyFileNote(op, bodyFile)].filter(Boolean).join('\n');
    return {
        name: (0,export_escape/* jmeterText */.ff)(op.key),
        comment: (0,export_escape/* jmeterText */.ff)(comment),
        method: (0,export_escape/* jmeterText */.ff)(op.method),
        path: (0,export_escape/* jmeterValue */.H8)(pathParts),
        bodyFile: bodyFile !== undefined ? (0,export_escape/* jmeterValue */.H8)([{ variable: bodyFile }]) : undefined,
        hasBody: bodyFile === undefined && op.body !== undefined,
        followRedirects: !(0,model/* declaresRedirect */._L)(op.successStatuses),
        body: bodyFile === undefined && op.body !== undefined ? (0,export_escape/* jmeterText */.ff)(op.body.text) : undefined,
        headers,
        weight: op.weight,
        repeat: op.weight > 1 ? { label: (0,export_escape/* jmeterText */.ff)(`${op.weight} times: ${op.key}`) } : undefined,
        // Equals (8) + Or (32) over the declared codes, or Matches (1) any 2xx/3xx.
        assertion: statuses.length > 0
            ? { testType: 40, strings: statuses.map((s) => ({ key: String((0,export_escape/* javaHashCode */.wt)(s)), value: s })), label: `Status is ${statuses.join(' or ')}` }
            : { testType: 1, strings: [{ key: String((0,export_escape/* javaHashCode */.wt)('[23][0-9][0-9]')), value: '[23][0-9][0-9]' }], label: 'Status is 2xx or 3xx' },
    };
}
/** Values the view already made safe for JMeter (or numbers), escaped for XML content or attributes. */
function xmlHelper(escape) {
    return (value) => {
        if (typeof value === 'number') {
            if (!Number.isFinite(value))
                throw new Error(`not a finite number: ${value}`);
            return String(value);
        }
        if (typeof value !== 'string')
            throw new Error(`expected a string or a number, got ${typeof value}`);
        return escape(value);
    };
}
const renderTestPlan = (0,templates/* templateRenderer */.MP)('jmeter.jmx.hbs', { xml: xmlHelper(export_escape/* xmlText */.xK), attr: xmlHelper(export_escape/* xmlAttribute */.IE) });


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
