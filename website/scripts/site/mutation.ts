/**
 * The "Mutation testing" reference page: the committed reports/mutation/SUMMARY.md (mutation
 * score per reference-server file), parsed into mdast and serialised by the site's one MDX
 * serialiser, so its text is escaped as data. Links that are not web links (files beside the
 * summary, which the site does not publish) keep their text only; raw HTML and images become text.
 * No summary, no page.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Nodes, PhrasingContent, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { code, heading, mdxPage, p, type Block } from './mdast.ts';
import { REPORTS } from './paths.ts';

export const MUTATION_SUMMARY = join('mutation', 'SUMMARY.md');

/** The summary as mdast, or undefined when it is not committed. */
export function loadMutationSummary(reportsDir: string = REPORTS): Root | undefined {
  const path = join(reportsDir, MUTATION_SUMMARY);
  if (!existsSync(path)) return undefined;
  return fromMarkdown(readFileSync(path, 'utf8'), { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] });
}

const WEB = /^https?:\/\//;

/** Nodes whose children are blocks (raw HTML there becomes a paragraph, not inline code). */
const FLOW: ReadonlySet<string> = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/** The node made safe for the site: no relative link, no raw HTML, no image, no definition. */
function clean(node: Nodes, inFlow: boolean): Nodes[] {
  switch (node.type) {
    case 'link':
      if (!WEB.test(node.url)) return node.children.flatMap((c) => clean(c, false));
      break;
    case 'linkReference':
    case 'imageReference':
    case 'image':
      return 'alt' in node && node.alt ? [{ type: 'text', value: node.alt }] : 'children' in node ? node.children.flatMap((c) => clean(c, false)) : [];
    case 'definition':
      return [];
    case 'html':
      return inFlow ? [{ type: 'paragraph', children: [{ type: 'inlineCode', value: node.value }] }] : [{ type: 'inlineCode', value: node.value }];
  }
  if ('children' in node) return [{ ...node, children: (node.children as Nodes[]).flatMap((c) => clean(c, FLOW.has(node.type))) } as Nodes];
  return [node];
}

/** The page, or nothing: the summary's own title gives way to the page's, its other headings go one level down if it used h1 for them. */
export function mutationFiles(summary: Root | undefined): Record<string, string> {
  if (!summary) return {};
  const children = summary.children.flatMap((n) => clean(n, true)) as RootContent[];
  const firstH1 = children.findIndex((n) => n.type === 'heading' && n.depth === 1);
  const sourceTitle = firstH1 >= 0 ? (children[firstH1] as { children: PhrasingContent[] }).children : undefined;
  const rest = children.filter((_, i) => i !== firstH1).map((n) => (n.type === 'heading' && n.depth === 1 ? { ...n, depth: 2 as const } : n));
  const body: Block[] = [
    heading(1, ['Mutation testing']),
    p(
      'How we know the suite has teeth: the reference server\'s code is mutated (StrykerJS) and the suite\'s cases run against every mutant; a mutant no case kills is code the suite does not check. This page renders the committed ',
      code('reports/mutation/SUMMARY.md'),
      '.',
    ),
    ...(sourceTitle ? [heading(2, sourceTitle)] : []),
    ...(rest as Block[]),
  ];
  return { 'docs/reference/mutation.mdx': mdxPage({ title: 'Mutation testing', sidebar_position: 13 }, body) };
}
