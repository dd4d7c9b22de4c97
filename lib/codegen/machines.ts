/** machines.ts: each resource as an XState v5 machine (`to.<state>` events, one per modelled edge). */
import { tsHeader, type Context } from './context';
import { camel, key, str } from './names';

export function machinesFile(ctx: Context): string {
  const out: string[] = [tsHeader(ctx, 'machines.ts', 'resource lifecycles as XState v5 machines'), '', "import { setup } from 'xstate';", ''];
  const names: string[] = [];
  for (const r of ctx.model.catalog.resources.values()) {
    const doc = ctx.model.document.resources.find((d) => d.name === r.name);
    const edgeName = (from: string, to: string) => doc?.transitions.find((t) => t.from === from && t.to === to)?.name;
    const targets = r.states.filter((to) => r.states.some((from) => r.edges.has(`${from}->${to}`)));
    const machine = `${camel(r.name)}Machine`;
    names.push(`  ${key(r.name)}: ${machine},`);
    out.push(
      `/** Events of ${r.name}: \`to.<state>\` moves along a modelled edge; any other is refused. */`,
      `export type ${r.name}Event = ${targets.length ? targets.map((t) => `{ type: ${str(`to.${t}`)} }`).join(' | ') : '{ type: never }'};`,
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
      const outgoing = r.states.filter((t) => r.edges.has(`${s}->${t}`));
      const final = kind === 'terminal' && outgoing.length === 0;
      const on = outgoing.map((t) => {
        const name = edgeName(s, t);
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
