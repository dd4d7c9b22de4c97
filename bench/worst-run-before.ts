/**
 * npx tsx bench/worst-run-before.ts [--calls 8]
 *
 * What the attack of bench/worst-run.mjs cost before runs were bounded: the
 * old POST …/runs replayed every move with a full state view per step (in the
 * request, on the server's heap) and stored all of them as JSON. This runs
 * that same work — `replayMoves` (views per step) + JSON.stringify — in this
 * process on a smaller trace of the same model, and prints CPU-seconds, peak
 * RSS and stored bytes per move, to extrapolate to the 81,001-move attack.
 */
import { analyze, openSession, replayMoves } from '../lib/check/replay';
import { attackDocument, attackMoves } from './worst-run.mjs';

const args = process.argv.slice(2);
const calls = args.includes('--calls') ? Number(args[args.indexOf('--calls') + 1]) : 8;
const P = 1000;
const analyzed = analyze(attackDocument(P, calls));
if (!analyzed.ok) throw new Error('invalid attack model');
const moves = attackMoves(P, calls);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const rss0 = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const session = openSession(analyzed.model, 'attack', { mergeLocalSteps: false });
const replay = replayMoves(session, moves);
peak = Math.max(peak, process.memoryUsage().rss);
// Stringified step by step: the whole trace as one string is past V8's 512 MB string limit already.
const stored = { length: JSON.stringify(session.initialView).length };
for (const step of replay.steps) stored.length += JSON.stringify(step).length + 1;
peak = Math.max(peak, process.memoryUsage().rss);
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
const cpuS = (cpu.user + cpu.system) / 1e6;
const mb = (b: number) => Math.round(b / 2 ** 20);
console.log(`old path, ${moves.length} moves × ${P} processes: ${cpuS.toFixed(1)} CPU-s, RSS ${mb(rss0)} → peak ${mb(peak)} MB, stored trace ${mb(stored.length)} MB (${Math.round(stored.length / moves.length / 1024)} KB per move)`);
const scale = 81_001 / moves.length;
console.log(`extrapolated to the 81,001-move attack: ~${(cpuS * scale).toFixed(0)} CPU-s, ~${mb((peak - rss0) * scale)} MB of heap, ~${mb(stored.length * scale)} MB to store`);
