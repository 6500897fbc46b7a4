// `npm run build`: the web client into dist/web (scripts/lib/build-web.ts does the work).
// Options: `--out-dir DIR` builds elsewhere. Environment: BASEMAP_TILES, BASEMAP_ATTRIBUTION.
import { parseArgs } from 'node:util';
import { buildWeb } from './lib/build-web.ts';

const { values: options } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
try {
  console.log(await buildWeb({ outDir: options['out-dir'] }));
} catch (error) {
  console.error(`web: ${(error as Error).message}`);
  process.exit(1);
}
