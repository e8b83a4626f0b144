import type { Config, Plugin } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import { themes as prismThemes, type PrismTheme } from 'prism-react-renderer';
import accentFoldingSearch from './src/search/plugin.ts';
import labDataPlugin from './src/components/LabChecks/plugin.ts';
import { PUBLISHED_SITE_URL } from './src/labs/site.ts';

// prism-react-renderer's GitHub theme has token colours below WCAG AA contrast on its own
// background (#f6f8fa); these darker shades keep the hues and pass (≥ 4.5:1).
const DARKER_TOKEN_COLOURS: Record<string, string> = {
  '#999988': '#6a6a5a',
  '#e3116c': '#b8094f',
  '#36acaa': '#0a6b69',
  '#00a4db': '#006a99',
  '#d73a49': '#b31d28',
};

const lightCodeTheme: PrismTheme = {
  ...prismThemes.github,
  styles: prismThemes.github.styles.map((entry) => {
    const colour = entry.style.color?.toLowerCase();
    return colour && DARKER_TOKEN_COLOURS[colour]
      ? { ...entry, style: { ...entry.style, color: DARKER_TOKEN_COLOURS[colour] } }
      : entry;
  }),
};

/**
 * Docusaurus puts every module shared by half of the site's chunks into one `common` chunk that
 * every page loads. With few pages, Mermaid's own lazily loaded chunks (one per diagram type)
 * qualify, and a text-only page ends up downloading most of Mermaid. Only named chunks (the
 * route and component chunks Docusaurus names, and `main`) count for `common` here; Mermaid's
 * chunks stay lazy, loaded by pages that draw a diagram.
 */
function keepMermaidLazy(): Plugin {
  return {
    name: 'keep-mermaid-lazy',
    configureWebpack(webpackConfig, isServer) {
      const splitChunks = webpackConfig.optimization?.splitChunks;
      const common = splitChunks && splitChunks.cacheGroups?.common;
      if (!isServer && common && typeof common === 'object' && !(common instanceof RegExp)) {
        common.chunks = (chunk) => Boolean(chunk.name);
      }
      return {};
    },
  };
}

const config: Config = {
  title: 'Laboratório Mesos',
  tagline: 'Apache Mesos, Marathon e Chronos na prática, no seu computador',
  favicon: 'img/favicon.svg',

  // The published address is set in ONE place, PUBLISHED_SITE_URL in src/labs/site.ts (the checks'
  // links use it too). The publish workflow builds with LAB_SITE_PUBLISH=1 so pages live under its path
  // (/laboratorio-mesos/ on GitHub Pages); a local build (npm run build, npm run serve) stays at /.
  url: new URL(PUBLISHED_SITE_URL).origin,
  baseUrl: process.env.LAB_SITE_PUBLISH
    ? `${new URL(PUBLISHED_SITE_URL).pathname.replace(/\/+$/, '')}/`
    : '/',

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',

  i18n: {
    defaultLocale: 'pt-BR',
    locales: ['pt-BR'],
    localeConfigs: {
      'pt-BR': { label: 'Português', htmlLang: 'pt-BR' },
    },
  },

  markdown: {
    mermaid: true,
    hooks: {
      onBrokenMarkdownLinks: 'throw',
      onBrokenMarkdownImages: 'throw',
    },
  },
  themes: [
    '@docusaurus/theme-mermaid',
    [
      '@easyops-cn/docusaurus-search-local',
      {
        language: ['pt'],
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: '/',
        hashed: 'filename',
        highlightSearchTermsOnTargetPage: false,
        explicitSearchResultPath: true,
        // The printable edition repeats every page: searching it would double every result.
        ignoreFiles: ['curso-completo'],
      },
    ],
  ],
  plugins: [accentFoldingSearch, keepMermaidLazy, labDataPlugin],

  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          showLastUpdateTime: false,
        },
        blog: false,
        pages: false,
        theme: {
          customCss: ['./src/css/custom.css', './src/css/phone.css', './src/css/print.css'],
        },
      } satisfies Preset.Options,
    ],
  ],

  themeConfig: {
    colorMode: {
      respectPrefersColorScheme: true,
    },
    navbar: {
      title: 'Laboratório Mesos',
      logo: {
        alt: 'Laboratório Mesos',
        src: 'img/logo.svg',
      },
      items: [
        { type: 'docSidebar', sidebarId: 'curso', position: 'left', label: 'Curso' },
        { to: '/fundamentos/arquitetura', label: 'Arquitetura', position: 'left' },
        { type: 'search', position: 'right' },
      ],
    },
    footer: {
      style: 'dark',
      copyright:
        'Laboratório Mesos — material do curso de engenharia de dados da UFSC. Funciona sem internet depois da instalação.',
    },
    docs: {
      sidebar: { hideable: true },
    },
    mermaid: {
      theme: { light: 'neutral', dark: 'dark' },
    },
    prism: {
      theme: lightCodeTheme,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash', 'ini'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
