/**
 * The report `faultline incident --json` produces, declared once with TypeBox: the TypeScript types
 * (`Static<>`) and the JSON Schema `cli/schema/incident.schema.json` (draft 2020-12, written by
 * schema-gen.ts) both come from here. The finding kinds and check names come from the check registry
 * (checks/index.ts).
 */
import Type, { type Static } from 'typebox';
import { CHECK_NAMES, FINDING_KINDS, type CheckName, type FindingKind } from './checks/index.ts';

/** The report's `schema` value. */
export const REPORT_VERSION = 'faultline.incident/v1';

/** An ISO 8601 time in UTC, e.g. `2026-11-22T13:40:12.000Z`. */
const time = (description = 'ISO 8601, UTC.') =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$', description });
const Time = time();
const Url = Type.String({ pattern: '^https?://' });

/** A time window, both ends ISO 8601. */
export const ReportWindowSchema = Type.Object(
  { start: Time, end: Time, seconds: Type.Integer({ minimum: 1, description: 'Its length, s.' }) },
  { additionalProperties: false },
);

/** What a finding is about: one of the kinds the checks emit. */
export const FindingKindSchema = Type.Unsafe<FindingKind>({
  type: 'string',
  enum: Object.keys(FINDING_KINDS),
  description: `What the finding is about. ${Object.entries(FINDING_KINDS)
    .map(([k, v]) => `${k}: ${v}.`)
    .join(' ')}`,
});

/** Example traces of a finding. */
export const FindingTracesSchema = Type.Object(
  {
    source: Type.Union([Type.Literal('exemplars'), Type.Literal('jaeger'), Type.Literal('none')], {
      description: 'exemplars: from Prometheus exemplars; jaeger: from a Jaeger search; none: none found.',
    }),
    ids: Type.Array(Type.String({ pattern: '^[0-9a-f]{1,32}$' }), { maxItems: 3, description: 'Up to three trace IDs.' }),
    urls: Type.Array(Url, { maxItems: 3, description: 'The Jaeger UI link of each trace, in the same order.' }),
    search: Type.String({ pattern: '^https?://', description: 'A Jaeger UI search for more traces like these (service, tags, window).' }),
  },
  { additionalProperties: false },
);

/** Where to look at a finding's numbers. */
export const FindingLinksSchema = Type.Object(
  {
    prometheus: Type.String({ pattern: '^https?://', description: 'The Prometheus graph of the query over the window.' }),
    grafana: Type.String({
      pattern: '^https?://',
      description: 'The same query in Grafana Explore (datasource faultline-prometheus, exemplars linked to Jaeger).',
    }),
  },
  { additionalProperties: false },
);

/** A log line of a finding's window (warnings and errors, from the log store). */
export const FindingLogLineSchema = Type.Object(
  {
    time: Time,
    severity: Type.String({ description: 'As the logger wrote it, lower case: warn, error, fatal, …' }),
    service: Type.String(),
    message: Type.String(),
    clientId: Type.Optional(Type.String({ description: 'client.id of the request it was logged in.' })),
    pool: Type.Optional(
      Type.Object(
        { used: Type.Number(), max: Type.Number(), pending: Type.Number() },
        { additionalProperties: false, description: 'The pool state at the moment of the log call (db.client.connection.pool.*).' },
      ),
    ),
    traceId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{1,32}$' })),
    traceUrl: Type.Optional(Type.String({ pattern: '^https?://', description: 'The trace in the Jaeger UI.' })),
    count: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "Lines of this kind (the same message, numbers aside) among the finding's newest 100 in the window.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** A deploy event recorded in the log store (`faultline deploy`, a team's curl line). */
export const RecordedDeploySchema = Type.Object(
  {
    time: Time,
    service: Type.String(),
    version: Type.String(),
    clientId: Type.Optional(Type.String()),
    text: Type.String(),
  },
  { additionalProperties: false },
);

/** One finding. */
export const FindingSchema = Type.Object(
  {
    kind: FindingKindSchema,
    subject: Type.String({
      minLength: 1,
      description: 'What it is about: a client ID, service/instance, a pool, a breaker, a queue, service@version.',
    }),
    title: Type.String({ minLength: 1, description: 'One line a person reads first.' }),
    details: Type.Array(Type.String(), { description: 'Further lines: when, who else, what lines up with it.' }),
    score: Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Rank, 0-100, higher first. Causes (clients, deploys) weigh more than symptoms of the same size.',
    }),
    since: Type.Optional(time('When it started (ISO 8601), if known.')),
    until: Type.Optional(time('When it was last seen (ISO 8601), if known.')),
    evidence: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]), {
      description: 'The numbers behind the title, by name (rates per second, ratios 0-1, durations in ms).',
    }),
    related: Type.Array(Type.String(), {
      description: "Subjects of other findings that line up with this one in time (e.g. a deploy and a client's errors).",
    }),
    query: Type.String({ minLength: 1, description: 'The PromQL that shows it.' }),
    traces: FindingTracesSchema,
    links: FindingLinksSchema,
    logs: Type.Optional(
      Type.Array(FindingLogLineSchema, {
        maxItems: 3,
        description:
          "The few most telling log lines of the window (warnings and errors of the finding's service, client or pool): one per kind of message, the most frequent kind first; absent without a log store.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** One check that ran: whether there was data to answer it, and how many findings it gave. */
export const CheckResultSchema = Type.Object(
  {
    name: Type.Unsafe<CheckName>({ type: 'string', enum: CHECK_NAMES, description: 'The check (cli/README.md lists them).' }),
    description: Type.String({ description: 'What was looked at, in words.' }),
    hasData: Type.Boolean({ description: 'false: the metrics (or traces) this check needs do not exist; it could not find anything.' }),
    findings: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** Context too small to be a finding, on one line (e.g. many small new clients). */
export const AlsoSeenSchema = Type.Object(
  {
    kind: FindingKindSchema,
    subjects: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'What it is about (client IDs, …), largest first.' }),
    title: Type.String({ minLength: 1, description: 'The one line a person reads.' }),
  },
  { additionalProperties: false },
);

/** How the edge service was chosen (see edge.ts). */
export const EdgeFromSchema = Type.Union([Type.Literal('option'), Type.Literal('marked'), Type.Literal('traffic'), Type.Literal('none')], {
  description:
    'How the edge was chosen. option: --edge; marked: the service marked faultline.edge=true (FAULTLINE_EDGE) with the most requests with a client ID; traffic: no service is marked, the one with the most server spans with a client ID; none: no request carries a client ID.',
});

/** The whole report (`faultline incident --json`). */
/** An alert that fired in the window (Prometheus' own alert series: the rules it evaluates). */
export const FiredAlertSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'The alert rule (`alertname`).' }),
    labels: Type.Record(Type.String(), Type.String(), { description: 'Its other labels: severity, the client, instance, pool, …' }),
    start: time('When it was first seen firing (ISO 8601), at the range step.'),
    end: time('When it was last seen firing (ISO 8601).'),
  },
  { additionalProperties: false },
);

export const IncidentReportSchema = Type.Object(
  {
    schema: Type.Literal(REPORT_VERSION),
    generatedAt: time('When the report was made (ISO 8601).'),
    window: Type.Object(ReportWindowSchema.properties, {
      additionalProperties: false,
      description: 'The window looked at (--since, ending now).',
    }),
    baseline: Type.Object(ReportWindowSchema.properties, {
      additionalProperties: false,
      description: 'The window it is compared with (by default the same length, right before).',
    }),
    edge: Type.String({ description: 'The edge service, whose server spans count client requests; empty when none was found.' }),
    edgeFrom: EdgeFromSchema,
    sources: Type.Object({ prometheus: Url, jaeger: Url }, { additionalProperties: false }),
    checks: Type.Array(CheckResultSchema),
    findings: Type.Array(FindingSchema, { description: 'Ranked, highest score first; empty when no anomaly was found.' }),
    logs: Type.Optional(
      Type.Object(
        {
          url: Url,
          deploys: Type.Array(RecordedDeploySchema, {
            description: 'Deploy events recorded in the window and its baseline, newest first.',
          }),
          error: Type.Optional(
            Type.String({ description: 'Why the log store gave nothing (unreachable, rejected): the report is made without it.' }),
          ),
        },
        { additionalProperties: false, description: 'The log store (VictoriaLogs) asked for log lines and recorded deploys.' },
      ),
    ),
    alerts: Type.Optional(
      Type.Array(FiredAlertSchema, {
        description: 'Alerts that fired in the window, in start order: what on-call was told (none without alerting rules).',
      }),
    ),
    alsoSeen: Type.Optional(
      Type.Array(AlsoSeenSchema, {
        description: 'Changes beyond chance but too small to be findings (e.g. new clients at 2 % of traffic each), one line each.',
      }),
    ),
    notes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Caveats the header shows, e.g. a baseline with less data than asked and what was compared instead.',
      }),
    ),
    tookMs: Type.Integer({ minimum: 0, description: 'How long the whole investigation took, ms.' }),
  },
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/faultline/faultline/cli/schema/incident.schema.json',
    title: 'faultline incident --json',
    description: 'The report of `faultline incident --json`. Generated from cli/src/report-schema.ts (npm run schema -w cli); do not edit.',
    additionalProperties: false,
  },
);

/** A time window. */
export type ReportWindow = Static<typeof ReportWindowSchema>;
/** Example traces of a finding. */
export type FindingTraces = Static<typeof FindingTracesSchema>;
/** Links of a finding. */
export type FindingLinks = Static<typeof FindingLinksSchema>;
/** One finding. */
export type Finding = Static<typeof FindingSchema>;
/** A log line of a finding. */
export type FindingLogLine = Static<typeof FindingLogLineSchema>;
/** A recorded deploy event. */
export type RecordedDeploy = Static<typeof RecordedDeploySchema>;
/** One check that ran. */
export type CheckResult = Static<typeof CheckResultSchema>;
/** One "also seen" line. */
export type AlsoSeen = Static<typeof AlsoSeenSchema>;
/** How the edge was chosen. */
export type EdgeFrom = Static<typeof EdgeFromSchema>;
/** The whole report. */
export type IncidentReport = Static<typeof IncidentReportSchema>;
export type { CheckName, FindingKind };

// ---- faultline report: the timeline of an incident ------------------------------------------------

/** The timeline report's `schema` value. */
export const TIMELINE_VERSION = 'faultline.report/v1';

/** What a timeline entry is: a finding kind, or an event only the timeline has. */
export const EntryKindSchema = Type.Unsafe<FindingKind | 'breaker-transition' | 'alert'>({
  type: 'string',
  enum: [...Object.keys(FINDING_KINDS), 'breaker-transition', 'alert'],
  description:
    'A finding kind (see the incident schema), or breaker-transition: a circuit breaker opened, went half-open or closed; alert: a Prometheus alerting rule fired (its alert series).',
});

/** One entry of the timeline. */
export const TimelineEntrySchema = Type.Object(
  {
    time: time('When it started (ISO 8601); the window start when the data does not say.'),
    until: Type.Optional(time('When it was last seen (ISO 8601), if known.')),
    kind: EntryKindSchema,
    subject: Type.String({
      minLength: 1,
      description: 'What it is about: a client ID, service/instance, a pool, a breaker, an alert, service@version.',
    }),
    title: Type.String({ minLength: 1 }),
    details: Type.Array(Type.String()),
    evidence: FindingSchema.properties.evidence,
    query: Type.String({ minLength: 1, description: 'The PromQL that shows it.' }),
    trace: Type.Optional(Type.String({ pattern: '^https?://', description: 'An example trace (Jaeger UI link).' })),
    search: Type.Optional(Type.String({ pattern: '^https?://', description: 'A Jaeger search for more traces like it.' })),
  },
  { additionalProperties: false },
);

/** One chart of the report (the html page and `--out DIR` draw them). */
export const ChartInfoSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9-]+$', description: 'File name without extension (`--out DIR`: <name>.svg, <name>.png).' }),
    title: Type.String({ minLength: 1 }),
    series: Type.Array(Type.String(), { description: 'The series drawn (clients, instances, …).' }),
  },
  { additionalProperties: false },
);

/** The whole timeline report (`faultline report --format json`). */
export const TimelineReportSchema = Type.Object(
  {
    schema: Type.Literal(TIMELINE_VERSION),
    generatedAt: time('When the report was made (ISO 8601).'),
    window: Type.Object(ReportWindowSchema.properties, {
      additionalProperties: false,
      description: 'The window of the incident (--from/--to).',
    }),
    baseline: Type.Object(ReportWindowSchema.properties, {
      additionalProperties: false,
      description: 'The window it is compared with, right before.',
    }),
    edge: Type.String(),
    edgeFrom: EdgeFromSchema,
    sources: Type.Object({ prometheus: Url, jaeger: Url }, { additionalProperties: false }),
    notes: Type.Array(Type.String({ minLength: 1 }), {
      description: 'Caveats: a baseline with little data, sources that are absent (alerts).',
    }),
    entries: Type.Array(TimelineEntrySchema, { description: 'In time order (ties: by rank).' }),
    alsoSeen: Type.Array(AlsoSeenSchema),
    charts: Type.Array(ChartInfoSchema),
    tookMs: Type.Integer({ minimum: 0 }),
  },
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/faultline/faultline/cli/schema/report.schema.json',
    title: 'faultline report --format json',
    description:
      'The timeline of an incident, `faultline report --format json`. Generated from cli/src/report-schema.ts (npm run schema -w cli); do not edit.',
    additionalProperties: false,
  },
);

/** One timeline entry. */
export type TimelineEntry = Static<typeof TimelineEntrySchema>;
/** One chart's description. */
export type ChartInfo = Static<typeof ChartInfoSchema>;
/** The whole timeline report. */
export type TimelineReport = Static<typeof TimelineReportSchema>;
