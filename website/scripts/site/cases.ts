/** The case catalogue: one page per case area, one anchor per case id, with its killing faults. */
import type { CatalogueArea } from './catalogue.ts';
import { code, em, heading, joined, link, list, mdxPage, p, strong, table, type Block } from './mdast.ts';
import { clauseUrl, route } from './routes.ts';

export function casePages(catalogue: readonly CatalogueArea[]): Record<string, string> {
  const out: Record<string, string> = {};
  catalogue.forEach((a, i) => {
    const body: Block[] = [heading(1, [a.title]), p(`${a.cases.length} cases in the `, code(a.area), ' area. Each one passes against the reference server and fails against the named faults listed with it (reference-server/src/faults.ts), which is how the suite proves it can fail.')];
    for (const c of a.cases) {
      body.push(heading(2, [code(c.id)], c.id));
      body.push(list([
        ['Clause: ', link(clauseUrl(c.clause), code(c.clause)), ` (${c.level})`],
        ['Features: ', ...(c.features.length ? joined(c.features.map((f) => code(f))) : ['none'])],
        ['Action: ', c.action],
        ['Requirement: ', c.requirement],
      ]));
      body.push(c.faults.length ? table(['killing fault', 'what it breaks'], c.faults.map((f) => [code(f.name), f.description])) : p(strong('Killing faults:'), ' ', em('none listed in suites/test/teeth')));
    }
    out[`docs/cases/${a.area}.mdx`] = mdxPage({ title: `Cases: ${a.title}`, sidebar_label: a.title, sidebar_position: i + 1 }, body);
  });
  const total = catalogue.reduce((n, a) => n + a.cases.length, 0);
  out['docs/cases/index.mdx'] = mdxPage({ title: 'Case catalogue', sidebar_label: 'All areas', sidebar_position: 0 }, [
    heading(1, ['Case catalogue']),
    p(`${total} cases in ${catalogue.length} areas. `, code('pusher-conformance list --json'), ' prints the same catalogue; ', code('pusher-conformance explain CASE_ID'), ' explains one case.'),
    table(['area', 'cases', 'MUST', 'SHOULD', 'MAY'], catalogue.map((a) => [link(route.casesArea(a.area), a.title), String(a.cases.length), ...(['MUST', 'SHOULD', 'MAY'] as const).map((l) => String(a.cases.filter((c) => c.level === l).length))])),
  ]);
  return out;
}
