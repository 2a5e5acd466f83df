/** A source reference (spec/src/sources.ts) as inline content: linked title, section, note. */
import { sources, type SourceDef, type SourceRef } from '../../../spec/src/index.ts';
import { link, type Inline } from './mdast.ts';

export function cite(ref: SourceRef): Inline[] {
  const def: SourceDef = sources[ref.source];
  const label = `${def.title}${ref.section ? `, ${ref.section}` : ''}`;
  const head: Inline = def.url.startsWith('http') ? link(def.url, label) : label;
  const version = def.version ? ` (${def.version})` : '';
  return [head, `${version}${ref.note ? `: ${ref.note}` : ''}`];
}

export function citeAll(refs: readonly SourceRef[]): Inline[] {
  return refs.flatMap((r, i) => (i === 0 ? cite(r) : ['; ', ...cite(r)]));
}
