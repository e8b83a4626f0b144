// Browser side of the accent folding (see folding.ts). The search plugin's generated code calls
// `require(<resolved lunr-languages/lunr.pt.js>)(lunr)`; a webpack alias (plugin.ts) sends that
// exact path here. Webpack applies the alias to resolved paths too, so requiring lunr.pt.js from
// here would come back to this file: we load the package's minified build of the same code.
const installPortuguese = require('lunr-languages/min/lunr.pt.min.js');
const { installAccentFolding } = require('./folding.ts');

module.exports = function installPortugueseWithAccentFolding(lunr) {
  installPortuguese(lunr);
  installAccentFolding(lunr);
};
