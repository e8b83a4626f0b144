// Every check id is linked both ways (issue 8, item 3): the link a failing check prints lands on an
// existing heading of the site, and each lab page lists all of its checks. Headings are read from the
// Markdown sources and turned into ids the way Docusaurus does (explicit {#id}, else its slugger).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createSlugger } from '@docusaurus/utils';
import { describe, expect, it, vi } from 'vitest';
import { LABS } from '../../../labs/index.ts';
import { PROBLEMS } from '../../cluster/troubleshooting.ts';
import { LAB_PAGES, PUBLISHED_SITE_URL } from '../../labs/site.ts';
import { siteLabs } from './data.ts';

const DOCS = path.resolve(__dirname, '../../../docs');

interface DocPage {
  file: string;
  permalink: string;
  text: string;
  headingIds: Set<string>;
}

function frontMatter(text: string): Record<string, string> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  const out: Record<string, string> = {};
  for (const line of m?.[1].split('\n') ?? []) {
    const kv = /^([a-z_]+):\s*(.*)$/.exec(line);
    if (kv) out[kv[1]] = kv[2].replace(/^['"]|['"]$/g, '');
  }
  return out;
}

/** Heading ids of a Markdown page, skipping fenced code blocks. */
export function headingIds(text: string): Set<string> {
  const slugger = createSlugger();
  const ids = new Set<string>();
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (f) {
      if (!fence) fence = f[1];
      else if (line.trim().startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence) continue;
    const h = /^#{1,6}\s+(.*?)\s*$/.exec(line);
    if (!h) continue;
    const explicit = /\{#([^}\s]+)\}$/.exec(h[1]);
    if (explicit) {
      ids.add(explicit[1]);
      continue;
    }
    const plain = h[1]
      .replace(/`([^`]*)`/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[*_]/g, '');
    ids.add(slugger.slug(plain));
  }
  return ids;
}

/** The permalink Docusaurus gives a doc: its `slug`, else its path without number prefixes. */
function permalinkOf(rel: string, fm: Record<string, string>): string {
  const dir = path.posix.dirname(rel);
  if (fm.slug) return fm.slug.startsWith('/') ? fm.slug : `/${dir === '.' ? '' : `${dir}/`}${fm.slug}`;
  const parts = rel
    .replace(/\.mdx?$/, '')
    .split('/')
    .map((p) => p.replace(/^\d+[-_.]+/, ''));
  if (parts[parts.length - 1] === 'index') parts.pop();
  return `/${parts.join('/')}`;
}

function docPages(): DocPage[] {
  return readdirSync(DOCS, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => /\.mdx?$/.test(f) && !f.split('/').some((p) => p.startsWith('_')))
    .map((rel) => {
      const text = readFileSync(path.join(DOCS, rel), 'utf8');
      return {
        file: rel,
        permalink: permalinkOf(rel, frontMatter(text)),
        text,
        headingIds: headingIds(text),
      };
    });
}

const pages = docPages();
const byPermalink = new Map(pages.map((p) => [p.permalink, p]));

describe('headingIds', () => {
  it('reads explicit ids, slugs the rest as Docusaurus does, and skips code', () => {
    const ids = headingIds(
      '# Título\n## Verificação de saúde (health check)\n## Passo {#meu-id}\n```bash\n# comentário\n```\n## Título\n',
    );
    expect([...ids]).toEqual(['título', 'verificação-de-saúde-health-check', 'meu-id', 'título-1']);
  });
});

describe('every check links to an existing heading of the site', () => {
  for (const lab of LABS) {
    it(`lab ${lab.id}`, () => {
      const broken = lab.checks
        .filter((c) => !byPermalink.get(c.doc.path)?.headingIds.has(c.doc.anchor))
        .map((c) => `${c.id} → ${c.doc.path}#${c.doc.anchor}`);
      expect(broken).toEqual([]);
    });
  }
});

describe('every lab page lists all of its checks, and only them', () => {
  for (const lab of LABS) {
    it(`lab ${lab.id}`, () => {
      const page = byPermalink.get(LAB_PAGES[lab.id]);
      expect(page, `no page at ${LAB_PAGES[lab.id]}`).toBeDefined();
      const text = page!.text;
      // each step has its heading and its box
      for (const step of lab.steps) {
        expect(page!.headingIds.has(step.anchor), `heading {#${step.anchor}}`).toBe(true);
        expect(text).toContain(`<StepChecks lab="${lab.id}" step="${step.anchor}" />`);
      }
      // no box for a step the lab does not have, or for another lab
      const boxes = [...text.matchAll(/<StepChecks lab="(\d+)" step="([^"]+)" \/>/g)];
      for (const [, boxLab, step] of boxes) {
        expect(boxLab).toBe(lab.id);
        expect(lab.steps.map((s) => s.anchor)).toContain(step);
      }
      // the boxes, through the steps, name every check exactly as the lab defines them
      const listed = new Set(
        boxes.flatMap(([, , step]) => lab.steps.find((s) => s.anchor === step)?.checks ?? []),
      );
      expect([...listed].sort()).toEqual(lab.checks.map((c) => c.id).sort());
      expect(text).toContain(`<LabCheckTable lab="${lab.id}" />`);
    });
  }

  it('the site data keeps every check with its link', () => {
    const data = siteLabs(LABS);
    expect(data.flatMap((l) => l.checks.map((c) => c.id))).toEqual(
      LABS.flatMap((l) => l.checks.map((c) => c.id)),
    );
    expect(JSON.stringify(data)).not.toContain('"run"');
  });
});

describe('pages generated from the troubleshooting data', () => {
  it('the troubleshooting page has a section for every place the kit detects a problem', () => {
    const page = byPermalink.get('/referencia/solucao-de-problemas');
    expect(page).toBeDefined();
    for (const source of new Set(PROBLEMS.map((p) => p.source))) {
      expect(page!.text).toContain(`<Problems source="${source}" />`);
    }
  });

  it('the real-host list page exists where the problems link to it', () => {
    expect(byPermalink.get('/instrutor/verificar-no-docker-real')?.text).toContain('<RealHostChecks />');
  });
});

describe('the site address is set in one place', () => {
  it('the published build lives at PUBLISHED_SITE_URL', async () => {
    process.env.LAB_SITE_PUBLISH = '1';
    vi.resetModules();
    try {
      const { default: config } = await import('../../../docusaurus.config.ts');
      expect(`${config.url}${config.baseUrl}`).toBe(`${PUBLISHED_SITE_URL}/`);
    } finally {
      delete process.env.LAB_SITE_PUBLISH;
    }
  });

  it('the publish workflow builds with LAB_SITE_PUBLISH', () => {
    const workflow = path.resolve(__dirname, '../../../.github/workflows/publish.yml');
    expect(existsSync(workflow)).toBe(true);
    expect(readFileSync(workflow, 'utf8')).toMatch(/LAB_SITE_PUBLISH:\s*['"]?1/);
  });
});
