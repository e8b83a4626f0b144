// The printable edition: every page of the course on one page, in the sidebar's order, rendered from the
// pages' own MDX modules (the page passes them in through webpack's require.context), so nothing is
// copied by hand and a new page appears here as soon as it is in the sidebar.
import React from 'react';
import { useDocsVersion } from '@docusaurus/plugin-content-docs/client';
import type { PropSidebarItem } from '@docusaurus/plugin-content-docs';
import styles from './styles.module.css';

interface DocModule {
  default: React.ComponentType;
  contentTitle?: string;
  frontMatter?: { title?: string };
  metadata?: { id: string; title: string; permalink: string };
}

/** What webpack's require.context returns (only the parts used here). */
export interface ModuleContext {
  keys(): string[];
  (key: string): DocModule;
}

type Entry = { kind: 'part'; label: string; description?: string } | { kind: 'doc'; docId: string };

/** The sidebar flattened in reading order: a part heading per category, then its docs. */
export function readingOrder(items: readonly PropSidebarItem[]): Entry[] {
  const out: Entry[] = [];
  for (const item of items) {
    if (item.type === 'category') {
      out.push({ kind: 'part', label: item.label, description: item.description });
      out.push(...readingOrder(item.items));
    } else if (item.type === 'link' && item.docId) {
      out.push({ kind: 'doc', docId: item.docId });
    }
  }
  return out;
}

export default function PrintEdition({
  pages,
  sidebar = 'curso',
}: {
  pages: ModuleContext;
  sidebar?: string;
}): React.JSX.Element {
  const version = useDocsVersion();
  const byId = new Map<string, DocModule>();
  for (const key of pages.keys()) {
    const mod = pages(key);
    if (mod.metadata?.id) byId.set(mod.metadata.id, mod);
  }
  const entries = readingOrder(version.docsSidebars[sidebar] ?? []);
  return (
    <div className={styles.edition} data-print-edition="">
      {entries.map((entry, i) => {
        if (entry.kind === 'part') {
          return (
            <header key={`part-${i}`} className={styles.part}>
              <p className={styles.partLabel}>{entry.label}</p>
              {entry.description && <p>{entry.description}</p>}
            </header>
          );
        }
        const mod = byId.get(entry.docId);
        if (!mod) return null;
        const Content = mod.default;
        return (
          <article key={entry.docId} className={styles.page} data-doc-id={entry.docId}>
            {!mod.contentTitle && <h1>{mod.frontMatter?.title ?? mod.metadata?.title}</h1>}
            <p className={styles.source}>
              No site: <a href={mod.metadata?.permalink}>{mod.metadata?.permalink}</a>
            </p>
            <Content />
          </article>
        );
      })}
    </div>
  );
}

/** A button that opens the browser's print dialog (hidden on paper). */
export function PrintButton(): React.JSX.Element {
  return (
    <button
      type="button"
      className={`button button--primary ${styles.printButton}`}
      onClick={() => window.print()}
    >
      Imprimir ou salvar em PDF
    </button>
  );
}
