/**
 * Version of `@faultline/instrumentation` (semver, the `version` of its package.json; the packaging
 * test checks they are equal), reported as the instrumentation scope version and as the resource
 * attribute `telemetry.distro.version`.
 */
export const VERSION = '0.2.0';
