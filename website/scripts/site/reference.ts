/**
 * The protocol reference pages from spec/: clauses per area (one anchor per clause id), error
 * codes, limits (profiles × limits), profiles, the ambiguity register and the known-answer vectors.
 * @module
 */
import {
  ambiguities,
  areas,
  clausesByArea,
  ErrorRange,
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
} from '../../../spec/src/index.ts';
import * as vectors from '../../../spec/src/crypto/vectors.ts';
import type { CatalogueArea } from './catalogue.ts';
import { code, codeBlock, em, heading, joined, link, list, mdxPage, p, strong, table, type Block, type Inline } from './mdast.ts';
import { clauseAreaPath, clauseUrl, route } from './routes.ts';
import { cite, citeAll } from './sources-view.ts';

type Pages = Record<string, string>;

const ambiguityTitle = (id: string) => (ambiguities as Record<string, AmbiguityDef>)[id]?.title ?? id;

function clausePages(catalogue: readonly CatalogueArea[]): Pages {
  const casesOf = new Map<string, { area: string; id: string; level: string }[]>();
  for (const a of catalogue) for (const c of a.cases) casesOf.set(c.clause, [...(casesOf.get(c.clause) ?? []), { area: a.area, id: c.id, level: c.level }]);
  const touching = new Map<string, string[]>();
  for (const [id, a] of Object.entries(ambiguities) as [string, AmbiguityDef][]) for (const c of a.clauses) touching.set(c, [...(touching.get(c) ?? []), id]);

  const out: Pages = {};
  const byArea = clausesByArea();
  const index: Block[] = [heading(1, ['Clauses']), p('Every normative statement the kit checks, area by area. Each clause has an anchor equal to its id, a level (MUST, SHOULD, MAY), our wording in the server\'s voice, its sources, what breaks in real clients when a server departs from it, and the cases that check it.')];
  const rows: Inline[][] = [];
  areas.forEach((area, i) => {
    const list_ = byArea[area];
    if (list_.length === 0) return;
    const count = (l: string) => list_.filter((c) => c.level === l).length;
    rows.push([link(clauseAreaPath(area), area), String(list_.length), String(count('MUST')), String(count('SHOULD')), String(count('MAY'))] as unknown as Inline[]);
    const body: Block[] = [heading(1, [`Clauses: ${area}`]), p(`${list_.length} clauses in the `, code(area), ' area.')];
    for (const c of list_) {
      body.push(heading(2, [code(c.id), ` ${c.title}`], c.id));
      body.push(p(strong(c.level), ' · ', c.text));
      body.push(p(strong('If broken:'), ' ', c.impact));
      body.push(p(strong('Sources:'), ' ', ...citeAll(c.sources)));
      const cases = casesOf.get(c.id) ?? [];
      body.push(p(strong('Checked by:'), ' ', ...(cases.length ? joined(cases.map((k) => link(route.case(k.area, k.id), code(k.id)))) : [em('no case yet')])));
      const amb = [...new Set([...(c.ambiguity ? [c.ambiguity] : []), ...(touching.get(c.id) ?? [])])];
      if (amb.length) body.push(p(strong('Open questions:'), ' ', ...joined(amb.map((a) => link(route.ambiguity(a), ambiguityTitle(a))))));
    }
    out[`docs/reference/clauses/${area}.mdx`] = mdxPage({ title: `Clauses: ${area}`, sidebar_label: area, sidebar_position: i + 1 }, body);
  });
  index.push(table(['area', 'clauses', 'MUST', 'SHOULD', 'MAY'], rows));
  out['docs/reference/clauses/index.mdx'] = mdxPage({ title: 'Clauses', sidebar_label: 'All areas', sidebar_position: 0 }, index);
  out['docs/reference/clauses/_category_.json'] = JSON.stringify({ label: 'Clauses', position: 1, collapsed: false }, null, 2) + '\n';
  return out;
}

function errorCodesPage(): string {
  const body: Block[] = [
    heading(1, ['Error codes']),
    p('Codes 4000–4399 travel as WebSocket close codes or inside a ', code('pusher:error'), ' frame. The range says what a client must do; the last column is what pusher-js 8 does when a server closes with the code.'),
    table(
      ['range', 'codes', 'client action'],
      (Object.entries(ErrorRange) as [string, { min: number; max: number; meaning: string }][]).map(([name, r]) => [code(name), `${r.min}–${r.max}`, r.meaning]),
    ),
    table(
      ['code', 'name', 'range', 'used as', 'pusher-js on close', 'meaning'],
      errorCodes.map((d) => [link(route.errorCode(d.code), String(d.code)), code(d.name), errorRange(d.code) ?? '—', d.usedAs, code(String(pusherJsCloseAction(d.code))), d.meaning]),
    ),
  ];
  for (const d of errorCodes) {
    body.push(heading(2, [`${d.code} `, code(d.name)], `error-${d.code}`));
    body.push(p(d.meaning));
    body.push(list([
      ['Range: ', code(errorRange(d.code) ?? 'none'), errorRange(d.code) ? ` (${ErrorRange[errorRange(d.code)!].meaning})` : ''],
      ['Used as: ', d.usedAs === 'close' ? 'a WebSocket close code' : 'the code of a pusher:error frame (the connection stays open)'],
      ['pusher-js 8 on close: ', code(String(pusherJsCloseAction(d.code)))],
      ['Sources: ', ...joined(d.sources.map((s) => (sources[s].url.startsWith('http') ? link(sources[s].url, sources[s].title) : sources[s].title)), '; ')],
    ]));
  }
  return mdxPage({ title: 'Error codes', sidebar_position: 5 }, body);
}

function limitsPage(): string {
  const body: Block[] = [
    heading(1, ['Limits']),
    p('Each limit per profile: the value the server documents or an operator configures. ', em('none'), ' means the profile documents or enforces no limit; the kit then does not test the boundary, but a null limit never hides a departure from Pusher\'s documented value. Cases check that exactly the limit is accepted and one past it is refused.'),
    table(
      ['limit', 'unit', ...profileIds],
      limitKeys.map((k) => [link(route.limit(k), limits[k].title), limits[k].unit, ...profileIds.map((id) => {
        const v = (profiles[id] as ProfileDef).limits[k].value;
        return v === null ? 'none' : String(v);
      })]),
    ),
  ];
  for (const k of limitKeys) {
    const d = limits[k];
    body.push(heading(2, [d.title, ' ', code(k)], `limit-${k}`));
    body.push(list([
      ['Measures: ', d.measures],
      ['Unit: ', d.unit],
      ['Pusher documents: ', String(d.pusher)],
      ['When exceeded: ', d.exceeded],
      ['Sources: ', ...joined(d.sources.map((s) => (sources[s].url.startsWith('http') ? link(sources[s].url, sources[s].title) : sources[s].title)), '; ')],
    ]));
    body.push(table(['profile', 'value', 'source'], profileIds.map((id) => {
      const v = (profiles[id] as ProfileDef).limits[k];
      return [link(route.profile(id), id), v.value === null ? 'none' : String(v.value), [...cite(v.source), v.note ? ` (${v.note})` : '']];
    })));
  }
  return mdxPage({ title: 'Limits', sidebar_position: 6 }, body);
}

function profilesPage(): string {
  const body: Block[] = [heading(1, ['Profiles']), p('A profile is data: the limits, features and dialect a server documents, each with its source. It never turns a departure from a MUST into a pass; a server\'s bug stays a fail in its own profile\'s report.')];
  profileIds.forEach((id) => {
    const prof = profiles[id] as ProfileDef;
    body.push(heading(2, [code(id), ` ${prof.title}`], `profile-${id}`), p(prof.description));
    body.push(table(['setting', 'value', 'source'], [
      ...Object.entries(prof.dialect).map(([k, v]) => [['dialect ', code(k)], code(String(v.value)), cite(v.source)]),
      ...Object.entries(prof.features).map(([k, v]) => [['feature ', code(k)], v.value ? 'yes' : 'no', cite(v.source)]),
    ] as Inline[][][]));
    const alts = Object.entries(prof.alternatives);
    if (alts.length) body.push(p(strong('Takes, on open questions:'), ' ', ...joined(alts.map(([a, alt]) => [link(route.ambiguity(a), ambiguityTitle(a)), ' → ', code(String(alt))]).flat() as Inline[], ' ')));
  });
  body.push(heading(2, ['Features'], 'features'), table(['feature', 'meaning'], Object.entries(features).map(([k, v]) => [code(k), v])));
  return mdxPage({ title: 'Profiles', sidebar_position: 7 }, body);
}

function ambiguitiesPage(): string {
  const body: Block[] = [heading(1, ['Ambiguity register']), p('Questions the sources leave open or answer in more than one way, the position this kit takes, and the alternatives seen in real servers with the verdict each earns.')];
  for (const [id, a] of Object.entries(ambiguities) as [string, AmbiguityDef][]) {
    body.push(heading(2, [a.title], id));
    body.push(p(strong('Question.'), ' ', a.question), p(strong('Position.'), ' ', a.position));
    body.push(table(['alternative', 'seen in', 'verdict'], a.alternatives.map((alt) => [[code(alt.id), ' ', alt.description], alt.seenIn.join(', ') || '—', code(alt.verdict)])));
    body.push(p(strong('Clauses:'), ' ', ...joined(a.clauses.map((c) => link(clauseUrl(c), code(c))))));
    body.push(p(strong('Sources:'), ' ', ...citeAll(a.sources)));
  }
  return mdxPage({ title: 'Ambiguity register', sidebar_position: 8 }, body);
}

function vectorsPage(): string {
  const body: Block[] = [heading(1, ['Known-answer vectors']), p('Inputs and expected outputs for every signature and encryption scheme (spec/src/crypto/vectors.ts); the test suite checks each one. Download them all as JSON from the downloads page.')];
  for (const [name, value] of Object.entries(vectors).sort(([a], [b]) => a.localeCompare(b))) {
    if (Array.isArray(value)) {
      body.push(heading(2, [code(name)], name));
      for (const v of value as { id?: string }[]) {
        if (typeof v.id === 'string') body.push(heading(3, [code(v.id)], `vector-${v.id}`));
        body.push(codeBlock('json', JSON.stringify(v, null, 2)));
      }
    } else if (value && typeof value === 'object') {
      body.push(heading(2, [code(name)], name), codeBlock('json', JSON.stringify(value, null, 2)));
    }
  }
  return mdxPage({ title: 'Known-answer vectors', sidebar_position: 10 }, body);
}

export function referencePages(catalogue: readonly CatalogueArea[]): Pages {
  return {
    ...clausePages(catalogue),
    'docs/reference/error-codes.mdx': errorCodesPage(),
    'docs/reference/limits.mdx': limitsPage(),
    'docs/reference/profiles.mdx': profilesPage(),
    'docs/reference/ambiguities.mdx': ambiguitiesPage(),
    'docs/reference/vectors.mdx': vectorsPage(),
    'docs/reference/_category_.json': JSON.stringify({ label: 'Protocol reference', position: 1 }, null, 2) + '\n',
  };
}
