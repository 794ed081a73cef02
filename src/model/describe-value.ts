/**
 * Short, one-line renderings of user input for error messages: values as JSON, keys quoted, both
 * cut to a readable length so a 1 MiB string or a name with a newline cannot break a one-line error.
 */
const MAX_SHOWN = 60;

function cut(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** `"yes"`, `42`, `an object`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return cut(JSON.stringify(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/** `'host-containers.admin.enabled'`, or a JSON string when the key has non-printable characters. */
export function describeKey(segments: readonly string[]): string {
  const text = segments.join('.');
  if (/[^\x20-\x7e]/.test(text) || text.includes("'")) return cut(JSON.stringify(text));
  return `'${cut(text)}'`;
}
