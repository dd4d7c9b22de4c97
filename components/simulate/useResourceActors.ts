'use client';

/**
 * The resource machines as running XState actors, one per instance, kept in
 * step with the simulation: each transition a step takes is sent as
 * `to.<state>`; stepping back rebuilds the actors and replays. With an
 * inspector, every actor is created with its `inspect` observer, so Stately's
 * inspector shows them.
 */
import { useEffect, useRef, useState } from 'react';
import { createActor, type AnyActorRef, type InspectionEvent, type Observer } from 'xstate';
import type { ModelDocument } from '@/lib/model';
import type { StateView } from '@/lib/check';
import { resourceMachine } from '@/lib/browser/machines';
import { transitionsTaken } from '@/lib/browser/trace-model';

export type InspectFn = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export function useResourceActors(document: ModelDocument, views: StateView[], inspect: InspectFn | null): Record<string, string> {
  const ref = useRef<{ actors: Map<string, AnyActorRef>; applied: number; inspect: InspectFn | null; first: StateView | null }>({
    actors: new Map(),
    applied: 0,
    inspect: null,
    first: null,
  });
  const [states, setStates] = useState<Record<string, string>>({});

  useEffect(() => {
    const r = ref.current;
    const rebuild = views.length < r.applied || r.inspect !== inspect || r.first !== views[0];
    if (rebuild) {
      for (const actor of r.actors.values()) actor.stop();
      r.actors = new Map();
      r.applied = 0;
      r.inspect = inspect;
      r.first = views[0] ?? null;
      for (const inst of views[0]?.instances ?? []) {
        const resource = document.resources.find((res) => res.name === inst.type);
        if (!resource) continue;
        const actor = createActor(resourceMachine(resource, inst.state, inst.name), { id: inst.name, systemId: inst.name, ...(inspect ? { inspect } : {}) });
        actor.start();
        r.actors.set(inst.name, actor);
      }
      r.applied = 1;
    }
    for (let k = Math.max(1, r.applied); k < views.length; k++) {
      for (const t of transitionsTaken(views[k - 1], views[k])) r.actors.get(t.instance)?.send({ type: `to.${t.to}` });
    }
    r.applied = views.length;
    const next: Record<string, string> = {};
    for (const [name, actor] of r.actors) {
      const value = actor.getSnapshot().value;
      next[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    setStates(next);
  }, [document, views, inspect]);

  useEffect(
    () => () => {
      for (const actor of ref.current.actors.values()) actor.stop();
      ref.current.actors = new Map();
    },
    [],
  );

  return states;
}
