/**
 * The one reader of the Prometheus text exposition format in faultline: the Collector's own metrics
 * (`:8888`) and its `prometheus` exporter (`:8889`), in the classic text format (version 0.0.4,
 * https://prometheus.io/docs/instrumenting/exposition_formats/) or in OpenMetrics 1.0
 * (https://github.com/prometheus/OpenMetrics/blob/main/specification/OpenMetrics.md), exemplars
 * included.
 *
 * Written here rather than taken from npm: `parse-prometheus-text-format` (1.1.1, the one maintained
 * candidate) drops the labels, `_sum` and `_count` of histogram series, keeps only the last series of a
 * histogram, and reads an exemplar as the sample's timestamp. Every sample line is kept as it is
 * (a histogram is its `_bucket`, `_sum` and `_count` lines), so callers select by the names in
 * metrics.ts. `# HELP`, `# TYPE`, `# UNIT` and `# EOF` are comments here.
 */
import { reason, SourceError } from './errors.ts';

/** The exemplar an OpenMetrics sample line may carry (`… # {trace_id="…"} 12.5 1700000000.123`). */
export interface ExpositionExemplar {
  /** Its labels, e.g. `trace_id`, `span_id`. */
  labels: Record<string, string>;
  /** The observed value. */
  value: number;
  /** Unix seconds, when given. */
  time?: number;
}

/** One sample line: `name{labels} value [timestamp] [# exemplar]`. */
export interface ExpositionSample {
  /** The series name as written (`x_total`, `h_bucket`, `h_sum`, …). */
  name: string;
  /** Label values, unescaped (`\\`, `\"`, `\n`). */
  labels: Record<string, string>;
  /** The value; `NaN`, `+Inf` and `-Inf` are read as such. */
  value: number;
  /** The sample's timestamp when the line has one: milliseconds (text format) or seconds (OpenMetrics), as written. */
  timestamp?: number;
  exemplar?: ExpositionExemplar;
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;

/** A cursor over one line; every reader throws an Error naming the line and column on bad input. */
class Line {
  pos = 0;
  readonly text: string;
  readonly no: number;
  constructor(text: string, no: number) {
    this.text = text;
    this.no = no;
  }
  fail(what: string): never {
    throw new Error(`exposition line ${this.no}, column ${this.pos + 1}: ${what}: ${this.text}`);
  }
  match(re: RegExp, what: string): string {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) this.fail(`expected ${what}`);
    this.pos += m[0].length;
    return m[0];
  }
  spaces(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }
  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected ${JSON.stringify(ch)}`);
    this.pos++;
  }
  /** A double-quoted label value with `\\`, `\"` and `\n` escapes. */
  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) this.fail('unterminated label value');
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.text[this.pos++];
        out += e === 'n' ? '\n' : e === '\\' || e === '"' ? e : this.fail(`unknown escape \\${e ?? ''}`);
      } else out += c;
    }
  }
  /** `{name="value",…}` (a trailing comma allowed), or nothing. */
  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.text[this.pos] !== '{') return out;
    this.pos++;
    for (;;) {
      this.spaces();
      if (this.text[this.pos] === '}') break;
      const name = this.match(LABEL, 'a label name');
      this.spaces();
      this.expect('=');
      this.spaces();
      out[name] = this.quoted();
      this.spaces();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') this.fail('expected "," or "}"');
    }
    this.pos++;
    return out;
  }
  /** The next whitespace-separated token, or `undefined` at the end or before ` # `. */
  token(): string | undefined {
    this.spaces();
    if (this.pos >= this.text.length || this.text[this.pos] === '#') return undefined;
    const start = this.pos;
    while (this.pos < this.text.length && this.text[this.pos] !== ' ' && this.text[this.pos] !== '\t') this.pos++;
    return this.text.slice(start, this.pos);
  }
  number(what: string): number {
    const t = this.token();
    const n = t === undefined ? NaN : parseNumber(t);
    if (Number.isNaN(n) && t !== 'NaN') this.fail(`expected ${what}`);
    return n;
  }
}

/** A sample value: a float, `NaN`, `+Inf`, `-Inf` (also `Inf`, any case). */
function parseNumber(t: string): number {
  const lower = t.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
}

/**
 * Every sample line of an exposition, in order.
 * @param text - a scrape's body (text format 0.0.4 or OpenMetrics).
 * @throws Error naming the line and column when a sample line is malformed (a truncated scrape, or
 *   not an exposition at all).
 */
export function parseExposition(text: string): ExpositionSample[] {
  const out: ExpositionSample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const l = new Line(raw, i + 1);
    l.spaces();
    const name = l.match(NAME, 'a metric name');
    const labels = l.labels();
    const value = l.number('a value');
    const ts = l.token();
    const sample: ExpositionSample = { name, labels, value };
    if (ts !== undefined) {
      sample.timestamp = parseNumber(ts);
      if (!Number.isFinite(sample.timestamp)) l.fail('expected a timestamp');
    }
    l.spaces();
    if (l.pos < raw.length) {
      l.expect('#');
      l.spaces();
      const exLabels = l.labels();
      const exValue = l.number('an exemplar value');
      const exTime = l.token();
      sample.exemplar = { labels: exLabels, value: exValue, ...(exTime !== undefined ? { time: parseNumber(exTime) } : {}) };
      if (l.token() !== undefined) l.fail('unexpected text after the exemplar');
    }
    out.push(sample);
  }
  return out;
}

/** Whether `labels` holds every `label: value` of `match`. */
function matches(labels: Record<string, string>, match: Record<string, string>): boolean {
  return Object.entries(match).every(([k, v]) => labels[k] === v);
}

/**
 * The samples named exactly `name` whose labels include every `label: value` of `match`.
 * @param match - label values that must all be equal; default none.
 */
export function samplesOf(samples: ExpositionSample[], name: string, match: Record<string, string> = {}): ExpositionSample[] {
  return samples.filter((s) => s.name === name && matches(s.labels, match));
}

/**
 * The sum of the samples named exactly `name` (over every series; 0 when there is none), narrowed by
 * `match` as {@link samplesOf}.
 */
export function sumSeries(samples: ExpositionSample[], name: string, match: Record<string, string> = {}): number {
  return samplesOf(samples, name, match).reduce((n, s) => n + s.value, 0);
}

/**
 * The sum of counter `counter` with or without the `_total` suffix (the Collector's own metrics have
 * had both spellings across versions), narrowed by `match` as {@link samplesOf}; 0 when absent.
 */
export function sumCounter(samples: ExpositionSample[], counter: string, match: Record<string, string> = {}): number {
  const base = counter.replace(/_total$/, '');
  return sumSeries(samples, base, match) + sumSeries(samples, `${base}_total`, match);
}

/** Per-request timeout of {@link scrape}, ms. */
export const SCRAPE_TIMEOUT_MS = 10_000;

/**
 * Fetches and parses a `/metrics` endpoint.
 * @param url - e.g. the Collector's `http://127.0.0.1:8888/metrics`.
 * @param opts.openMetrics - ask for OpenMetrics (exemplars are only sent then). Default false.
 * @param opts.timeoutMs - default {@link SCRAPE_TIMEOUT_MS}.
 * @throws SourceError (source `Collector`) when the endpoint cannot be reached or answers with an HTTP
 *   error; Error when the body is not an exposition.
 */
export async function scrape(url: string, opts: { openMetrics?: boolean; timeoutMs?: number } = {}): Promise<ExpositionSample[]> {
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(opts.timeoutMs ?? SCRAPE_TIMEOUT_MS),
      headers: opts.openMetrics ? { accept: 'application/openmetrics-text' } : {},
    });
  } catch (err) {
    throw new SourceError('Collector', url, `cannot reach ${url} (${reason(err)})`);
  }
  const text = await res.text();
  if (!res.ok) throw new SourceError('Collector', url, `${url} answered with HTTP ${res.status}`);
  return parseExposition(text);
}
