/**
 * GitHub Actions workflow commands and files: annotations on stdout (`::error title=…::…`),
 * step outputs in $GITHUB_OUTPUT. Escaping follows the runner's rules (actions/toolkit
 * command.ts): in the message % CR LF are percent-encoded; in properties also : and ,.
 * @module
 */
import { randomBytes } from 'node:crypto';

export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** `::error title=T::message` with both parts escaped; properties in the given order */
export function workflowCommand(level: AnnotationLevel, message: string, properties: Readonly<Record<string, string>> = {}): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/**
 * One output in $GITHUB_OUTPUT's multi-line form (`name<<DELIM`, value, `DELIM`), with a
 * delimiter that occurs in neither the name nor the value.
 */
export function outputEntry(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`not an output name: ${name}`);
  let delimiter = `ghadelimiter_${randomBytes(8).toString('hex')}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomBytes(8).toString('hex')}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}
