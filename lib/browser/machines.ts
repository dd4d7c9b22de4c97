/**
 * Resource lifecycles as XState v5 machines, the same shape lib/codegen
 * writes into machines.ts (one `to.<state>` event per modelled edge), built
 * at run time so the manual simulator can run one actor per instance and
 * Stately's inspector can show them.
 */
import { createMachine, type AnyStateMachine } from 'xstate';
import type { Resource } from '@/lib/model';

export interface MachineConfig {
  id: string;
  initial: string;
  states: Record<string, { tags: string[]; type?: 'final'; on?: Record<string, { target: string; description?: string }> }>;
}

/** The machine config of `resource`, starting in `initial` (an instance may start elsewhere than the resource's initial state). */
export function machineConfig(resource: Resource, initial: string = resource.initial, id: string = resource.name): MachineConfig {
  const names = new Set(resource.states.map((s) => s.name));
  const states: MachineConfig['states'] = {};
  for (const s of resource.states) {
    const on: Record<string, { target: string; description?: string }> = {};
    for (const t of resource.transitions) {
      if (t.from !== s.name || !names.has(t.to)) continue;
      on[`to.${t.to}`] = { target: t.to, ...(t.name ? { description: t.name } : {}) };
    }
    const final = s.kind === 'terminal' && Object.keys(on).length === 0;
    states[s.name] = { tags: [s.kind], ...(final ? { type: 'final' as const } : {}), ...(Object.keys(on).length ? { on } : {}) };
  }
  return { id, initial: names.has(initial) ? initial : resource.initial, states };
}

export function resourceMachine(resource: Resource, initial?: string, id?: string): AnyStateMachine {
  return createMachine(machineConfig(resource, initial, id) as Parameters<typeof createMachine>[0]);
}
