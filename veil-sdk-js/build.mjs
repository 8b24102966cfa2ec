// Builds the SDK: minifies src/veil.js into the jar's resources and fails when the gzip size is over budget.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// Bytes, minified + gzip (issue 5). VEIL_SDK_BUDGET may only lower it (to check that the build fails).
const BUDGET = Math.min(5 * 1024, Number(process.env.VEIL_SDK_BUDGET) || Infinity);
const out = process.argv[2] || 'target/classes/dev/veil/sdk';
mkdirSync(out, { recursive: true });

await build({
  entryPoints: ['src/veil.js'],
  outfile: `${out}/veil.min.js`,
  minify: true,
  target: 'es2017',
  dropLabels: ['TEST'],
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync('src/veil.js', `${out}/veil.js`);

const min = readFileSync(`${out}/veil.min.js`);
const gz = gzipSync(min, { level: 9 }).length;
const report = `veil.min.js: ${min.length} bytes minified, ${gz} bytes minified + gzip (budget ${BUDGET})`;
mkdirSync('target', { recursive: true });
writeFileSync('target/sdk-size.txt', report + '\n');
console.log(report);
if (gz > BUDGET) {
  console.error(`SDK size budget exceeded: ${gz} bytes gzip > ${BUDGET}`);
  process.exit(1);
}
