/** machines.ts: each resource as an XState v5 machine (`to.<state>` events, one per modelled edge). */
import { tsHeader, type Context } from './context';
import { documentResources, edgeIndex } from './edges';
import { camel, NameTable, objectKey as key, str } from './names';
import { WIDTH } from './pretty';

/** `type ShareEvent = { type: "to.available" } | …`, one member per line when it would be too long. */
function eventType(resource: string, targets: readonly string[]): string {
  const members = targets.length ? targets.map((t) => `{ type: ${str(`to.${t}`)} }`) : ['{ type: never }'];
  const flat = `export type ${resource}Event = ${members.join(' | ')};`;
  return flat.length <= WIDTH ? flat : [`export type ${resource}Event =`, ...members.map((m) => `  | ${m}`)].join('\n') + ';';
}

export function machinesFile(ctx: Context): string {
  const out: string[] = [tsHeader(ctx, 'machines.ts', 'resource lifecycles as XState v5 machines'), '', "import { setup } from 'xstate';", ''];
  const names: string[] = [];
  // `a_b` and `aB` both camel-case to `aB`: each resource still gets its own machine.
  const ids = new NameTable(['setup', 'MACHINES']);
  const docs = documentResources(ctx.model.document.resources);
  for (const r of ctx.model.catalog.resources.values()) {
    const edges = edgeIndex(r, docs.get(r.name));
    const targets = edges.targets;
    const machine = ids.claim(`${camel(r.name)}Machine`);
    names.push(`  ${key(r.name)}: ${machine},`);
    out.push(
      `/** Events of ${r.name}: \`to.<state>\` moves along a modelled edge; any other is refused. */`,
      eventType(r.name, targets),
      '',
      `export const ${machine} = setup({`,
      `  types: { events: {} as ${r.name}Event },`,
      '}).createMachine({',
      `  id: ${str(r.name)},`,
      `  initial: ${str(r.states[r.initial] ?? r.states[0] ?? '')},`,
      '  states: {',
    );
    r.states.forEach((s, i) => {
      const kind = r.stateKinds[i] ?? 'stable';
      const outgoing = edges.outgoing[i]!;
      const final = kind === 'terminal' && outgoing.length === 0;
      const on = outgoing.map((t) => {
        const name = edges.name(s, t);
        return `        ${str(`to.${t}`)}: { target: ${str(t)}${name ? `, description: ${str(name)}` : ''} },`;
      });
      out.push(
        `    ${key(s)}: {`,
        `      tags: [${str(kind)}],`,
        ...(final ? ["      type: 'final',"] : []),
        ...(on.length ? ['      on: {', ...on, '      },'] : []),
        '    },',
      );
    });
    out.push('  },', '});', '');
  }
  out.push('/** Every resource machine by resource name. */', `export const MACHINES = {\n${names.join('\n')}\n} as const;`, '');
  return out.join('\n');
}
