/**
 * Writes `cli/schema/incident.schema.json` from the TypeBox definitions in report-schema.ts (the one
 * source of the report's types and schema). `--check` writes nothing and exits 1 if the committed
 * file differs from the generated one.
 *   node cli/src/schema-gen.ts [--check]      (or: npm run schema -w cli)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IncidentReportSchema } from './report-schema.ts';

/** `cli/schema/incident.schema.json`. */
export const SCHEMA_FILE: string = fileURLToPath(new URL('../schema/incident.schema.json', import.meta.url));

/** The JSON Schema of the report as the committed file should hold it (2-space JSON, final newline). */
export function renderSchema(): string {
  // The document's own keywords first, as a reader expects them.
  const { $schema, $id, title, description, ...rest } = IncidentReportSchema as unknown as Record<string, unknown>;
  return `${JSON.stringify({ $schema, $id, title, description, ...rest }, null, 2)}\n`;
}

/** Whether the committed schema file is missing or differs from the generated one. */
export function schemaIsStale(file: string = SCHEMA_FILE): boolean {
  return !existsSync(file) || readFileSync(file, 'utf8') !== renderSchema();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    if (schemaIsStale()) {
      console.error('out of date: cli/schema/incident.schema.json (run npm run schema -w cli)');
      process.exit(1);
    }
    console.log('schema up to date');
  } else {
    writeFileSync(SCHEMA_FILE, renderSchema());
    console.log('wrote cli/schema/incident.schema.json');
  }
}
