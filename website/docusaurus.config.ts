import type { Config } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import { themes as prismThemes } from 'prism-react-renderer';

// Pages under docs/reference, docs/cases, docs/results and src/data/generated are written by
// scripts/generate-docs.ts from ../spec, ../suites and ../reports (npm run site:build runs it first).
const config: Config = {
  title: 'pusher-conformance',
  tagline: 'The Pusher Channels protocol, clause by clause, and how every server measures up',
  url: 'https://pusher-conformance.dev',
  baseUrl: '/',
  favicon: 'img/favicon.svg',
  trailingSlash: false,
  future: { v4: true, faster: true },
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: { format: 'mdx', hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' } },
  i18n: { defaultLocale: 'en', locales: ['en'] },
  presets: [
    [
      'classic',
      {
        docs: { routeBasePath: '/', sidebarPath: './sidebars.ts' },
        blog: false,
        theme: { customCss: './src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],
  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      { hashed: true, indexBlog: false, docsRouteBasePath: '/', language: ['en'], highlightSearchTermsOnTargetPage: false, searchResultLimits: 10 },
    ],
  ],
  themeConfig: {
    navbar: {
      title: 'pusher-conformance',
      items: [
        { type: 'docSidebar', sidebarId: 'guides', label: 'Guides', position: 'left' },
        { type: 'docSidebar', sidebarId: 'reference', label: 'Protocol', position: 'left' },
        { type: 'docSidebar', sidebarId: 'cases', label: 'Cases', position: 'left' },
        { type: 'docSidebar', sidebarId: 'results', label: 'Results', position: 'left' },
        { to: '/results/comparison', label: 'Matrix', position: 'left' },
        { to: '/reference/downloads', label: 'Downloads', position: 'right' },
      ],
    },
    footer: {
      style: 'dark',
      copyright: 'pusher-conformance, MIT licensed. Generated from spec/ and reports/.',
    },
    prism: { theme: prismThemes.github, darkTheme: prismThemes.dracula, additionalLanguages: ['bash', 'json'] },
  } satisfies Preset.ThemeConfig,
};

export default config;
