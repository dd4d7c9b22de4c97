/**
 * machines.ts runs in XState v5: for every example and resource, every
 * modelled edge is accepted and every other move is refused — checked against
 * the model's own transition list, not against the generated code.
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createActor, type AnyStateMachine } from 'xstate';
import { generate } from '@/lib/codegen';
import { examples, filesOf, tempProject } from './helpers';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

describe.each(examples())('machines.ts of $file', ({ model }) => {
  it('accepts every modelled transition and refuses every other one', async () => {
    const files = filesOf(generate(model, { version: 1 }));
    const project = tempProject('machines', { 'machines.ts': files['machines.ts']!, 'states.ts': files['states.ts']! });
    cleanups.push(project.remove);
    const machines = (await import(pathToFileURL(path.join(project.dir, 'machines.ts')).href)).MACHINES as Record<string, AnyStateMachine>;
    const states = await import(pathToFileURL(path.join(project.dir, 'states.ts')).href);

    let accepted = 0;
    let refused = 0;
    for (const resource of model.document.resources) {
      const machine = machines[resource.name]!;
      expect(machine, resource.name).toBeDefined();
      // Starts where the model says.
      const fresh = createActor(machine).start();
      expect(fresh.getSnapshot().value).toBe(resource.initial);
      fresh.stop();
      const edges = new Set(resource.transitions.map((t) => `${t.from}->${t.to}`));
      for (const from of resource.states) {
        for (const to of resource.states) {
          const actor = createActor(machine, { snapshot: machine.resolveState({ value: from.name, context: {} }) }).start();
          const event = { type: `to.${to.name}` };
          const allowed = edges.has(`${from.name}->${to.name}`);
          expect(actor.getSnapshot().can(event), `${resource.name}: ${from.name} -> ${to.name}`).toBe(allowed);
          // A final state's actor is done and accepts nothing (sending would only log a warning).
          if (actor.getSnapshot().status !== 'done') actor.send(event);
          expect(actor.getSnapshot().value, `${resource.name}: ${from.name} -> ${to.name}`).toBe(allowed ? to.name : from.name);
          actor.stop();
          // states.ts agrees with the machine.
          expect(states.canTransition(resource.name, from.name, to.name)).toBe(allowed);
          if (allowed) accepted++;
          else refused++;
        }
      }
    }
    expect(accepted).toBe(model.document.resources.reduce((n, r) => n + new Set(r.transitions.map((t) => `${t.from}->${t.to}`)).size, 0));
    expect(refused).toBeGreaterThan(0);
  });
});

describe('states.ts', () => {
  it('assertTransition throws a typed error naming both states', async () => {
    const { model } = examples().find((e) => e.file === 'share-delete-vs-snapshot.json')!;
    const project = tempProject('states', { 'states.ts': filesOf(generate(model, { version: 1 }))['states.ts']! });
    cleanups.push(project.remove);
    const states = await import(pathToFileURL(path.join(project.dir, 'states.ts')).href);
    expect(() => states.assertTransition('Share', 'available', 'deleting')).not.toThrow();
    let error: { name: string; message: string; from: string; to: string; resource: string } | undefined;
    try {
      states.assertTransition('Share', 'deleting', 'snapshotting');
    } catch (e) {
      error = e as typeof error;
    }
    expect(error).toBeInstanceOf(states.IllegalTransitionError);
    expect(error).toMatchObject({ name: 'IllegalTransitionError', resource: 'Share', from: 'deleting', to: 'snapshotting' });
    expect(error!.message).toBe('illegal transition of Share: deleting -> snapshotting');
    expect(states.isState('Share', 'deleting')).toBe(true);
    expect(states.isState('Share', 'gone')).toBe(false);
    expect(states.INITIAL.Share).toBe('creating');
  });
});
