// Bundles the official browser libraries (installed by `npm ci` from package-lock.json) into plain scripts that the
// test site serves itself: the tests load nothing from a CDN.
import { build } from 'esbuild';

const out = process.argv[2] || 'target/test-classes/dev/veil/compat/js';
await build({
  entryPoints: {
    'segment-analytics-next': 'src/test/js/segment-analytics-next.js',
    'rudderstack-analytics-js': 'src/test/js/rudderstack-analytics-js.js',
  },
  outdir: out,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`bundled the browser clients into ${out}`);
