// web.heap_100k_mb: the JS heap of the client holding 100,000 records as the app holds them after a
// sync: sealed envelopes opened with the app's openRows (decrypt, migrate, validate, merge) into
// communities and per-record merge results, plus the map features. Measured in Chromium with the
// DevTools protocol after a forced garbage collection, minus the heap before. Baseline: the same
// 100,000 bodies held as plain parsed JSON, nothing else (what any client has to hold at least).
import { median, ratioOf, round, type BenchGroup } from '../lib.ts';
import { openHarness } from './map.ts';

const COUNT = 100_000;
const command = 'npm run bench -- web';

const group: BenchGroup = {
  name: 'web',
  async run() {
    const harness = await openHarness();
    try {
      const cdp = await harness.page.context().newCDPSession(harness.page);
      const heapMb = async () => {
        for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
        const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
        return usedSize / 1024 / 1024;
      };
      const ours: number[] = [];
      const plain: number[] = [];
      const openTimes: number[] = [];
      for (let run = 0; run < 2; run++) {
        const before = await heapMb();
        openTimes.push(await harness.call('openAndHold', COUNT));
        if ((await harness.call('heldCount')) !== COUNT) throw new Error('the harness did not hold every record');
        ours.push((await heapMb()) - before);
        await harness.call('release');
        const beforePlain = await heapMb();
        await harness.call('holdPlain', COUNT);
        plain.push((await heapMb()) - beforePlain);
        await harness.call('release');
      }
      const value = round(median(ours));
      const baselineValue = round(median(plain));
      return {
        metrics: [
          {
            name: 'web.heap_100k_mb',
            value,
            unit: 'MB',
            better: 'lower',
            baseline: '100,000 record bodies as plain parsed JSON, nothing else',
            baselineValue,
            ratio: ratioOf('lower', value, baselineValue),
            command,
            min: round(Math.min(...ours)),
            max: round(Math.max(...ours)),
            note: `Communities from the fixtures (Libya 2011, with whereabouts history, about 1 KB of JSON each). Opening the 100,000 envelopes with openRows took a median of ${round(median(openTimes))} ms in the same page. Heap after GC via the DevTools protocol (Runtime.getHeapUsage), median of 2 runs.`,
          },
        ],
      };
    } finally {
      await harness.close();
    }
  },
};

export default group;
