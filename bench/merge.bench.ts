/**
 * How long a three-way merge of drafts takes: the largest example (share-delete-vs-snapshot),
 * 20 pairs of random 50-edit sequences (the property test's edit language), as shipped and with
 * every step labelled. Prints CPU and wall medians. `npm run bench:merge` (ROUNDS=N repeats each).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { applyEdits, editArb, labelSteps } from '../lib/model/merge/edits.testkit';
import { mergeModels } from '../lib/model/merge';
const rounds = Number(process.env.ROUNDS ?? 1);
for (const [file, label] of [['share-delete-vs-snapshot.json', false], ['share-delete-vs-snapshot.json', true]] as const) {
  const raw = JSON.parse(readFileSync(`examples/${file}`, 'utf8'));
  const base = label ? labelSteps(raw) : raw;
  const seqs = fc.sample(fc.array(editArb, { minLength: 50, maxLength: 50 }), { numRuns: 40, seed: 7 });
  const times: number[] = [];
  const walls: number[] = [];
  let conflicts = 0;
  for (let k = 0; k + 1 < seqs.length; k += 2) {
    const head = applyEdits(base, seqs[k], 'h').doc;
    const draft = applyEdits(base, seqs[k + 1], 'd').doc;
    mergeModels(structuredClone(base), structuredClone(head), structuredClone(draft)); // warm the code, not the caches
    for (let r = 0; r < rounds; r++) {
      const [b, h, d] = [structuredClone(base), structuredClone(head), structuredClone(draft)];
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      const res = mergeModels(b, h, d);
      walls.push(performance.now() - w0);
      const c = process.cpuUsage(c0);
      times.push((c.user + c.system) / 1000);
      if (r === 0) conflicts += res.ok ? 0 : res.conflicts.length;
    }
  }
  times.sort((a, b) => a - b);
  console.log(file, label ? 'labelled' : 'as shipped', `merges=${times.length} cpu median=${times[times.length >> 1].toFixed(2)}ms p90=${times[Math.floor(times.length * 0.9)].toFixed(2)}ms max=${times.at(-1)!.toFixed(2)}ms conflicts=${conflicts} wall median=${walls.sort((a, b) => a - b)[walls.length >> 1].toFixed(2)}ms wall max=${walls.at(-1)!.toFixed(2)}ms`);
}
