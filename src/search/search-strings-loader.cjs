// A webpack pre-loader for a few English strings that @easyops-cn/docusaurus-search-local writes
// into its components without going through translate(): the search inputs' aria-label, the
// clear button (which has no label at all) and the notice shown by `npm start`.
// Each rule must match: after an upgrade of the plugin the build fails here instead of
// silently showing English again.
const DEV_NOTICE = '⚠️ A busca só funciona no site construído: rode npm run build e depois npm run serve.';
const SEARCH_LABEL = 'aria-label={translate({ id: "theme.SearchBar.label", message: "Search" })}';

const RULES = [
  {
    file: 'SearchBar/SearchBar.jsx',
    from: /aria-label="Search"/,
    to: SEARCH_LABEL,
  },
  {
    file: 'SearchBar/SearchBar.jsx',
    from: /<button className=\{styles\.searchClearButton\}/,
    to: '<button aria-label={translate({ id: "theme.SearchBar.clearButtonLabel", message: "Clear search" })} className={styles.searchClearButton}',
  },
  {
    file: 'SearchBar/EmptyTemplate.js',
    from: /⚠️ The search index is only available when you run docusaurus build!/,
    to: DEV_NOTICE,
  },
  {
    file: 'SearchPage/SearchPage.jsx',
    from: /aria-label="Search"/,
    to: SEARCH_LABEL,
  },
  {
    file: 'SearchPage/SearchPage.jsx',
    from: /⚠️ The search index is only available when you run docusaurus\s+build!/,
    to: DEV_NOTICE,
  },
];

module.exports = function searchStringsLoader(source) {
  const file = this.resourcePath.split('\\').join('/');
  let out = source;
  for (const rule of RULES) {
    if (!file.endsWith(rule.file)) continue;
    if (!rule.from.test(out)) {
      throw new Error(
        `search-strings-loader: ${rule.from} not found in ${file}; update src/search/search-strings-loader.cjs`,
      );
    }
    out = out.replace(rule.from, rule.to);
  }
  return out;
};

module.exports.RULES = RULES;
