import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const loader = require('./search-strings-loader.cjs') as ((
  this: { resourcePath: string },
  s: string,
) => string) & {
  RULES: { file: string }[];
};
// The package's main entry is dist/server/server/index.js; the theme sits in dist/client.
const themeDir = path.join(
  path.dirname(require.resolve('@easyops-cn/docusaurus-search-local/package.json')),
  'dist',
  'client',
  'client',
  'theme',
);

function load(file: string): string {
  const resourcePath = path.join(themeDir, file);
  return loader.call({ resourcePath }, readFileSync(resourcePath, 'utf8'));
}

describe('search-strings-loader on the installed search plugin', () => {
  it('translates the search inputs and labels the clear button', () => {
    for (const file of ['SearchBar/SearchBar.jsx', 'SearchPage/SearchPage.jsx']) {
      const out = load(file);
      expect(out, file).not.toContain('aria-label="Search"');
      expect(out, file).toContain('id: "theme.SearchBar.label"');
    }
    expect(load('SearchBar/SearchBar.jsx')).toContain('theme.SearchBar.clearButtonLabel');
  });

  it('replaces the English notice shown by npm start', () => {
    for (const file of ['SearchBar/EmptyTemplate.js', 'SearchPage/SearchPage.jsx']) {
      const out = load(file);
      expect(out, file).not.toContain('The search index is only available');
      expect(out, file).toContain('A busca só funciona no site construído');
    }
  });

  it('fails loudly when a pattern is gone', () => {
    expect(() => loader.call({ resourcePath: '/x/SearchBar/SearchBar.jsx' }, 'nothing here')).toThrow(
      /not found/,
    );
  });
});
