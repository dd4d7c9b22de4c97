/**
 * When the browser's check hands over to threads (handOverFor): threads the
 * user chose take over from the 20,000th state, as `lockstep check
 * --workers K` does, not only after the check's first second. The threads
 * are in-thread partitions that are ready only between this thread's tasks,
 * as a browser starts the Web Workers a worker creates.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario } from '@/lib/check';
import { checkScenarioScaled, inThreadRunner, SMALL_SPACE, type PartitionSetup } from '@/lib/check/level-runner';
import { analyzeModel } from '@/lib/model/validate';
import { handOverFor } from './check-job';

const document = JSON.parse(readFileSync(path.join(process.cwd(), 'bench', 'spin-scaled-share', 'scaled-share.json'), 'utf8'));
const analyzed = analyzeModel(document);
if (!analyzed.ok) throw new Error('the benchmark model is not valid');
const model = analyzed.value;
const options = { symmetry: false, mergeLocalSteps: false };

const readyBetweenTasks = async (setups: PartitionSetup[]) => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  return inThreadRunner(setups);
};

describe('handOverFor', () => {
  it('hands a check with threads chosen to them past 20,000 states, long before a second has passed', async () => {
    // 66,273 states, searched in a fraction of a second.
    const alone = checkScenario(model, 'scaled-5', options);
    expect(alone.stats.distinctStates).toBeGreaterThan(SMALL_SPACE);
    const result = await checkScenarioScaled(model, 'scaled-5', 2, readyBetweenTasks, options, handOverFor({ threads: 2 }));
    expect(result.stats.threads).toBe(2);
    expect(result.stats.distinctStates).toBe(alone.stats.distinctStates);
    expect(result.stats.transitions).toBe(alone.stats.transitions);
  });

  it('leaves a check without threads chosen to the automatic hand-over, after its first second', () => {
    expect(handOverFor({})).toEqual({ when: 'auto', readiness: 'messages' });
  });
});
