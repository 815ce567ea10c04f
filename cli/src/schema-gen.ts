/**
 * Writes `cli/schema/incident.schema.json` and `cli/schema/report.schema.json` from the TypeBox
 * definitions in report-schema.ts (the one source of the reports' types and schemas). `--check`
 * writes nothing and exits 1 if a committed file differs from the generated one.
 *   node cli/src/schema-gen.ts [--check]      (or: npm run schema -w cli)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IncidentReportSchema, TimelineReportSchema } from './report-schema.ts';

/** `cli/schema/incident.schema.json`. */
export const SCHEMA_FILE: string = fileURLToPath(new URL('../schema/incident.schema.json', import.meta.url));

/** `cli/schema/report.schema.json` (faultline report --format json). */
export const TIMELINE_SCHEMA_FILE: string = fileURLToPath(new URL('../schema/report.schema.json', import.meta.url));

/**
 * A JSON Schema as the committed file should hold it (2-space JSON, final newline).
 * @param schema - default the incident report's.
 */
export function renderSchema(schema: object = IncidentReportSchema): string {
  // The document's own keywords first, as a reader expects them.
  const { $schema, $id, title, description, ...rest } = schema as unknown as Record<string, unknown>;
  return `${JSON.stringify({ $schema, $id, title, description, ...rest }, null, 2)}\n`;
}

/** Every generated file with its schema. */
const FILES: [string, object][] = [
  [SCHEMA_FILE, IncidentReportSchema],
  [TIMELINE_SCHEMA_FILE, TimelineReportSchema],
];

/** Whether the committed schema file is missing or differs from the generated one (default: either file). */
export function schemaIsStale(file?: string): boolean {
  return FILES.filter(([f]) => file === undefined || f === file).some(
    ([f, schema]) => !existsSync(f) || readFileSync(f, 'utf8') !== renderSchema(schema),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    if (schemaIsStale()) {
      console.error('out of date: cli/schema/*.schema.json (run npm run schema -w cli)');
      process.exit(1);
    }
    console.log('schema up to date');
  } else {
    for (const [f, schema] of FILES) writeFileSync(f, renderSchema(schema));
    console.log('wrote cli/schema/incident.schema.json, cli/schema/report.schema.json');
  }
}
