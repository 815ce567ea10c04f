/** Validates JSON against a JSON Schema (draft 2020-12) with ajv, errors as `path: message` lines. */
import Ajv2020 from 'ajv/dist/2020.js';

/**
 * Errors of `value` against `schema` (empty when valid), each as `<instance path>: <message>`.
 * @throws Error when the schema itself is invalid (ajv's strict mode: unknown keywords too).
 */
export function validateJson(schema: Record<string, unknown>, value: unknown): string[] {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  const check = ajv.compile(schema);
  if (check(value)) return [];
  return (check.errors ?? []).map((e) => `$${e.instancePath}: ${e.message ?? e.keyword}`);
}
