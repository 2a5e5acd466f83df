/**
 * The protocol reference pages of the website, generated from spec/: clauses per area, error
 * codes, limits, profiles, the ambiguity register and the test vectors. Markdown with front
 * matter, ready for Docusaurus (website/docs/).
 * @module
 */
import {
  ambiguities,
  clausesByArea,
  errorCodes,
  errorRange,
  features,
  limits,
  limitKeys,
  profileIds,
  profiles,
  pusherJsCloseAction,
  sources,
  type AmbiguityDef,
  type ProfileDef,
  type SourceRef,
} from '../../spec/src/index.ts';
import * as vectors from '../../spec/src/crypto/vectors.ts';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const page = (id: string, title: string, position: number, body: string[]) =>
  [`---`, `id: ${id}`, `title: ${JSON.stringify(title)}`, `sidebar_position: ${position}`, `---`, '', `<!-- generated from spec/ by website/scripts/generate-docs.ts; do not edit -->`, '', ...body, ''].join('\n');

function cite(ref: SourceRef): string {
  const def = sources[ref.source];
  const label = `${def.title}${ref.section ? `, ${ref.section}` : ''}`;
  return def.url.startsWith('http') ? `[${esc(label)}](${def.url})` : esc(label);
}

function clausePages(): Record<string, string> {
  const out: Record<string, string> = {};
  let position = 10;
  for (const [area, list] of Object.entries(clausesByArea())) {
    if (list.length === 0) continue;
    const body = [`# ${area}`, '', `${list.length} clauses.`, ''];
    for (const c of list) {
      body.push(`## \`${c.id}\` {#${c.id.replace(/\./g, '-')}}`, '', `**${c.level}** — ${c.title}`, '', c.text, '');
      body.push(`*If broken:* ${c.impact}`, '');
      if (c.ambiguity) body.push(`*Open question:* [${c.ambiguity}](./ambiguities#${c.ambiguity})`, '');
      body.push(`*Sources:* ${c.sources.map(cite).join('; ')}`, '');
    }
    out[`clauses/${area}.md`] = page(`clauses-${area}`, `Clauses: ${area}`, position++, body);
  }
  return out;
}

function errorCodesPage(): string {
  const rows = errorCodes.map((d) => `| ${d.code} | \`${d.name}\` | ${errorRange(d.code)} | ${d.usedAs} | \`${pusherJsCloseAction(d.code)}\` | ${esc(d.meaning)} |`);
  return page('error-codes', 'Error codes', 2, [
    '# Error codes',
    '',
    'Range semantics: 4000–4099 fatal (do not reconnect with the same parameters), 4100–4199 reconnect after a back-off, 4200–4299 reconnect at once, 4300–4399 other. The last column but one is what pusher-js 8 does when a server closes with the code.',
    '',
    '| code | name | range | used as | pusher-js on close | meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ]);
}

function limitsPage(): string {
  const ids = profileIds;
  const head = `| limit | unit | measures | ${ids.join(' | ')} |`;
  const rows = limitKeys.map((k) => {
    const d = limits[k];
    const values = ids.map((p) => {
      const v = (profiles[p] as ProfileDef).limits[k].value;
      return v === null ? '—' : String(v);
    });
    return `| ${d.title} (\`${k}\`) | ${d.unit} | ${esc(d.measures)} | ${values.join(' | ')} |`;
  });
  return page('limits', 'Limits', 3, ['# Limits', '', 'Per profile; — means the server documents or enforces no limit.', '', head, `| --- | --- | --- | ${ids.map(() => '---').join(' | ')} |`, ...rows]);
}

function profilesPage(): string {
  const body = ['# Profiles', '', 'A profile describes what a server documents or an operator configures. It never turns a departure from a MUST into a pass.', ''];
  for (const id of profileIds) {
    const p = profiles[id] as ProfileDef;
    body.push(`## ${id}`, '', p.description, '', '| setting | value | source |', '| --- | --- | --- |');
    for (const [k, v] of Object.entries(p.dialect)) body.push(`| ${k} | \`${String(v.value)}\` | ${cite(v.source)} |`);
    for (const [k, v] of Object.entries(p.features)) body.push(`| feature \`${k}\` | ${v.value ? 'yes' : 'no'} | ${cite(v.source)} |`);
    body.push('');
  }
  body.push('## Features', '', '| feature | meaning |', '| --- | --- |', ...Object.entries(features).map(([k, v]) => `| \`${k}\` | ${esc(v)} |`));
  return page('profiles', 'Profiles', 4, body);
}

function ambiguitiesPage(): string {
  const body = ['# Ambiguity register', '', 'Questions the sources leave open, the position this kit takes, and what real servers do.', ''];
  for (const [id, a] of Object.entries(ambiguities) as [string, AmbiguityDef][]) {
    body.push(`## ${a.title} {#${id}}`, '', `**Question.** ${a.question}`, '', `**Position.** ${a.position}`, '', '| alternative | seen in | verdict |', '| --- | --- | --- |');
    for (const alt of a.alternatives) body.push(`| ${esc(alt.description)} | ${esc(alt.seenIn.join(', '))} | ${alt.verdict} |`);
    body.push('', `*Clauses:* ${a.clauses.map((c) => `\`${c}\``).join(', ')}`, '');
  }
  return page('ambiguities', 'Ambiguity register', 5, body);
}

function vectorsPage(): string {
  const body = ['# Test vectors', '', 'Known-answer vectors for the signing and encryption algorithms (spec/src/crypto/vectors.ts); every one is checked by the test suite.', ''];
  for (const [name, value] of Object.entries(vectors).sort(([a], [b]) => a.localeCompare(b))) {
    if (!Array.isArray(value)) continue;
    body.push(`## ${name}`, '', '```json', JSON.stringify(value, null, 2), '```', '');
  }
  return page('vectors', 'Test vectors', 6, body);
}

/** relative path under website/docs → content */
export function protocolPages(): Record<string, string> {
  return {
    'error-codes.md': errorCodesPage(),
    'limits.md': limitsPage(),
    'profiles.md': profilesPage(),
    'ambiguities.md': ambiguitiesPage(),
    'vectors.md': vectorsPage(),
    ...clausePages(),
  };
}
