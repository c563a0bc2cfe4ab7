// Runs every bench/*.bench.mjs (or those whose name contains the filter given
// as the first argument) and prints one line per comparison.
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = (await readdir(here)).filter((file) => file.endsWith('.bench.mjs')).sort();
const selected = files.filter((file) => file.includes(filter));
if (selected.length === 0) {
  console.error(`no benchmark matches "${filter}"; have: ${files.join(', ')}`);
  process.exit(1);
}
for (const file of selected) {
  const { default: run } = await import(pathToFileURL(join(here, file)).href);
  const results = [await run()].flat();
  for (const result of results) {
    if (result.kind === 'memory') {
      for (const [adapter, each] of Object.entries(result.adapters)) {
        console.log(
          `${result.name} on ${adapter}: ours peak heap +${each.ours.peakHeapGrowthMB} MB, ${each.baseline.name} +${each.baseline.peakHeapGrowthMB} MB, ratio ${each.heapRatio} (${result.rows} rows) -> bench/results/${result.name}.json`,
        );
      }
      continue;
    }
    console.log(
      `${result.name}: ours ${result.ours.hz} op/s, ${result.baseline.name} ${result.baseline.hz} op/s, ratio ${result.ratio} (${result.samples} samples) -> bench/results/${result.name}.json`,
    );
  }
}
