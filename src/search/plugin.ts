// A small Docusaurus plugin that makes @easyops-cn/docusaurus-search-local accent-insensitive
// for Portuguese, on both sides of the search:
// - index (Node, at build time): the search plugin requires `lunr-languages/lunr.pt`; we load that
//   module once and replace its export in the require cache by a wrapper that also installs the
//   accent-folding stemmer;
// - query (browser worker): a webpack alias sends the same resolved file to lunr-pt-folding.cjs.
// It also translates the few strings the search plugin hard-codes in English.
// Node-only: it is loaded by docusaurus.config.ts, never bundled.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { installAccentFolding, type LunrWithPortuguese } from './folding.ts';

const require = createRequire(__filename);

// The search plugin's components that carry untranslated strings (see search-strings-loader.cjs).
const SEARCH_THEME_FILES =
  /docusaurus-search-local[\\/]dist[\\/]client[\\/]client[\\/]theme[\\/](SearchBar|SearchPage)[\\/][^\\/]+\.jsx?$/;

type LanguageInstaller = ((lunr: LunrWithPortuguese) => void) & { accentFolding?: boolean };

/** The lunr.pt file exactly as the search plugin resolves it. */
export function resolveLunrPortuguese(): string {
  const searchPlugin = require.resolve('@easyops-cn/docusaurus-search-local');
  return require.resolve('lunr-languages/lunr.pt', { paths: [path.dirname(searchPlugin)] });
}

/** Makes every later `require(lunr.pt)` in this process install the folding stemmer too. */
export function patchServerLunrPortuguese(): string {
  const file = resolveLunrPortuguese();
  const original = require(file) as LanguageInstaller;
  if (original.accentFolding) return file;
  const wrapped: LanguageInstaller = (lunr) => {
    original(lunr);
    installAccentFolding(lunr);
  };
  wrapped.accentFolding = true;
  const cached = require.cache[file];
  if (!cached) throw new Error(`lunr.pt was loaded but is not in the require cache: ${file}`);
  cached.exports = wrapped;
  return file;
}

export default function accentFoldingSearch(_context: LoadContext): Plugin {
  const file = patchServerLunrPortuguese();
  return {
    name: 'accent-folding-search',
    configureWebpack() {
      return {
        resolve: { alias: { [`${file}$`]: path.join(__dirname, 'lunr-pt-folding.cjs') } },
        module: {
          rules: [
            {
              test: SEARCH_THEME_FILES,
              enforce: 'pre' as const,
              use: [path.join(__dirname, 'search-strings-loader.cjs')],
            },
          ],
        },
      };
    },
  };
}
