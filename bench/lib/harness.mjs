import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/**
 * Runs `ours` and `baseline` side by side in one process: every round runs a
 * batch of each, the order alternating from round to round so neither side
 * always gets the warmer caches. Each side's rate is the median of its
 * per-round rates, which shrugs off a noisy neighbour better than a mean.
 *
 * @param {object} options
 * @param {string} options.name               results file name, e.g. 'core-http-get'
 * @param {() => unknown} options.ours        one operation through civicblocks
 * @param {{ name: string, fn: () => unknown }} options.baseline  the same work, raw
 * @param {number} [options.rounds]           alternating rounds (samples)
 * @param {number} [options.batch]            operations per side per round
 * @param {number} [options.warmup]           untimed operations per side first
 */
export async function compare({ name, ours, baseline, rounds = 40, batch = 200, warmup = 200 }) {
  for (let index = 0; index < warmup; index += 1) {
    await ours();
    await baseline.fn();
  }
  const oursRates = [];
  const baselineRates = [];
  const heap = { ours: 0, baseline: 0 };
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
    for (const side of order) {
      const fn = side === 'ours' ? ours : baseline.fn;
      const heapBefore = process.memoryUsage().heapUsed;
      const start = process.hrtime.bigint();
      for (let index = 0; index < batch; index += 1) await fn();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      heap[side] += Math.max(0, process.memoryUsage().heapUsed - heapBefore);
      (side === 'ours' ? oursRates : baselineRates).push(batch / seconds);
    }
  }
  const result = {
    name,
    ours: { hz: round2(median(oursRates)), bytesPerOp: Math.round(heap.ours / (rounds * batch)) },
    baseline: {
      name: baseline.name,
      hz: round2(median(baselineRates)),
      bytesPerOp: Math.round(heap.baseline / (rounds * batch)),
    },
    ratio: round4(median(oursRates) / median(baselineRates)),
    samples: rounds,
    node: process.version,
    date: new Date().toISOString(),
  };
  await mkdir(resultsDirectory, { recursive: true });
  await writeFile(join(resultsDirectory, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
}

const round2 = (value) => Math.round(value * 100) / 100;
const round4 = (value) => Math.round(value * 10000) / 10000;
