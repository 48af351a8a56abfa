// Bundle entry.js into one minified script (esbuild, with plotly.js's own settings).
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const [outfile, traces] = process.argv.slice(2);
const version = JSON.parse(readFileSync('node_modules/plotly.js/package.json', 'utf8')).version;

await esbuild.build({
  entryPoints: ['entry.js'],
  outfile,
  format: 'iife',
  globalName: 'Plotly',
  bundle: true,
  minify: true,
  target: 'es2016',
  // The same aliases and definitions as plotly.js's esbuild-config.js.
  alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
  // Only map traces use maplibre's stylesheet, and we draw none.
  loader: { '.css': 'empty' },
  banner: {
    js: `/*! plotly.js v${version}, partial bundle: ${traces} | (c) Plotly, Inc. | MIT License (plotly.LICENSE.txt) */`,
  },
  legalComments: 'eof',
  logLevel: 'warning',
});
