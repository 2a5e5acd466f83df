/**
 * Builders for the mdast trees the generator turns into MDX pages, and the one serialiser
 * (mdast-util-to-markdown with the MDX and GFM-table extensions). No page text is escaped by
 * hand: every string goes into a text, code or attribute node and the serialiser escapes it.
 * @module
 */
import type { Heading, Link, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Table, TableCell } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import type { MdxjsEsm } from 'mdast-util-mdxjs-esm';
import type { MdxTextExpression } from 'mdast-util-mdx-expression';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { mdxToMarkdown } from 'mdast-util-mdx';
import { toMarkdown } from 'mdast-util-to-markdown';

export type Inline = PhrasingContent | string;
export type Block = RootContent;

/** Table cells and list lines are one line each: collapse runs of whitespace (content, not syntax). */
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

const phrasing = (parts: readonly Inline[]): PhrasingContent[] => parts.map((p) => (typeof p === 'string' ? { type: 'text', value: p } : p));

export const text = (value: string): PhrasingContent => ({ type: 'text', value });
export const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value });
export const strong = (...children: Inline[]): PhrasingContent => ({ type: 'strong', children: phrasing(children) });
export const em = (...children: Inline[]): PhrasingContent => ({ type: 'emphasis', children: phrasing(children) });
export const link = (url: string, ...children: Inline[]): Link => ({ type: 'link', url, children: phrasing(children) });
/** A link to a file under static/: `pathname://` tells Docusaurus it is not a route. */
export const fileLink = (path: string, ...children: Inline[]): Link => link(`pathname://${path}`, ...children);
export const p = (...children: Inline[]): Paragraph => ({ type: 'paragraph', children: phrasing(children) });

/** Comma-separated inline parts. */
export function joined(parts: readonly Inline[], sep = ', '): Inline[] {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [sep, part]));
}

/**
 * A heading; with `id`, Docusaurus's MDX comment syntax `{/* #id *\/}` fixes its anchor, so the
 * anchor is exactly the id (clause ids, case ids) rather than a slug of the text.
 */
export function heading(depth: 1 | 2 | 3 | 4, children: readonly Inline[], id?: string): Heading {
  const kids = phrasing(children);
  if (id !== undefined) {
    if (/\s|\*\//.test(id)) throw new Error(`heading id ${JSON.stringify(id)} cannot be an anchor: it contains whitespace or "*/"`);
    const comment: MdxTextExpression = { type: 'mdxTextExpression', value: `/* #${id} */` };
    kids.push(text(' '), comment as unknown as PhrasingContent);
  }
  return { type: 'heading', depth, children: kids };
}

export const codeBlock = (lang: string, value: string): Block => ({ type: 'code', lang, value });

export function list(items: readonly (readonly Inline[])[], ordered = false): List {
  return {
    type: 'list',
    ordered,
    spread: false,
    children: items.map((parts): ListItem => ({ type: 'listItem', spread: false, children: [p(...parts.map((x) => (typeof x === 'string' ? oneLine(x) : x)))] })),
  };
}

export function table(head: readonly string[], rows: readonly (readonly (Inline | readonly Inline[])[])[]): Table {
  const cell = (c: Inline | readonly Inline[]): TableCell => ({
    type: 'tableCell',
    children: phrasing((Array.isArray(c) ? c : [c]).map((x: Inline) => (typeof x === 'string' ? oneLine(x) : x))),
  });
  return {
    type: 'table',
    align: head.map(() => null),
    children: [{ type: 'tableRow', children: head.map((h) => cell(h)) }, ...rows.map((r) => ({ type: 'tableRow' as const, children: r.map(cell) }))],
  };
}

export const esmImport = (statement: string): Block => ({ type: 'mdxjsEsm', value: statement }) as MdxjsEsm as unknown as Block;

type JsxValue = string | number | boolean | { expression: string };

/** `<Name attr="…" attr={expr} />` */
export function jsx(name: string, attributes: Record<string, JsxValue> = {}): Block {
  const attrs: MdxJsxAttribute[] = Object.entries(attributes).map(([key, v]) => ({
    type: 'mdxJsxAttribute',
    name: key,
    value: typeof v === 'string' ? v : { type: 'mdxJsxAttributeValueExpression', value: typeof v === 'object' ? v.expression : JSON.stringify(v) },
  }));
  const el: MdxJsxFlowElement = { type: 'mdxJsxFlowElement', name, attributes: attrs, children: [] };
  return el as unknown as Block;
}

export interface FrontMatter {
  title: string;
  slug?: string;
  sidebar_label?: string;
  sidebar_position?: number;
  description?: string;
  hide_table_of_contents?: boolean;
}

/**
 * One MDX page. Front matter values are written as JSON scalars, which YAML reads as they are.
 */
export function mdxPage(front: FrontMatter, body: readonly Block[]): string {
  const yaml = Object.entries(front)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n');
  const root: Root = { type: 'root', children: [...body] };
  const md = toMarkdown(root, { extensions: [mdxToMarkdown(), gfmTableToMarkdown()], bullet: '-', rule: '-', fences: true });
  return `---\n${yaml}\n---\n\n{/* Generated by website/scripts/generate-docs.ts from spec/, suites/ and reports/. Do not edit. */}\n\n${md}`;
}
