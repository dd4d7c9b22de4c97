/**
 * The visited set on its own: 3,048,321 random fingerprints (as many as N=7
 * of the Spin model stores) added to a set that grows from 2^16 slots, then
 * to one reserved at its final size; the difference is what growing costs,
 * and the time inside its rehashes is printed separately.
 *
 *   npx tsx bench/visited-set.bench.ts [--repeat 3]
 */
import { FingerprintSet } from '../lib/check/store';

const args = process.argv.slice(2);
const repeat = args.includes('--repeat') ? Number(args[args.indexOf('--repeat') + 1]) : 3;
const N = 3_048_321;
const his = new Int32Array(N);
const los = new Int32Array(N);
let x = 12345;
const next = () => (x = (Math.imul(x, 1664525) + 1013904223) | 0);
for (let i = 0; i < N; i++) {
  his[i] = next();
  los[i] = next() | 1;
}

// Time spent in grow(), measured from outside the class.
const proto = FingerprintSet.prototype as unknown as { grow: (this: FingerprintSet, capacity?: number) => void };
const grow = proto.grow;
let growing = 0;
proto.grow = function (capacity?: number) {
  const t = performance.now();
  grow.call(this, capacity);
  growing += performance.now() - t;
};

for (let r = 0; r < repeat; r++) {
  growing = 0;
  let t = performance.now();
  const grown = new FingerprintSet(1 << 16);
  for (let i = 0; i < N; i++) grown.add(his[i], los[i]);
  const grownMs = performance.now() - t;
  const rehashMs = growing;
  t = performance.now();
  const reserved = new FingerprintSet(1 << 16);
  reserved.reserve(N);
  for (let i = 0; i < N; i++) reserved.add(his[i], los[i]);
  const reservedMs = performance.now() - t;
  console.log(`growing: ${grownMs.toFixed(0)} ms (${rehashMs.toFixed(0)} ms in its rehashes); reserved: ${reservedMs.toFixed(0)} ms`);
}
