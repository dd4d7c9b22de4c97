/** diagram.md: a Mermaid stateDiagram-v2 per resource, for docs. */
import { headerLines, type Context } from './context';

/** Mermaid state ids: a fixed prefix keeps model names clear of Mermaid keywords (`end`, `state`, `note`…). */
const id = (state: string) => `s_${state}`;
/** Transition labels: Mermaid ends a label at a newline and treats `:`/`;`/`#` specially. */
const label = (text: string) => text.replace(/[:;#\r\n"{}<>]+/g, ' ').replace(/\s+/g, ' ').trim();

export function diagramFile(ctx: Context): string {
  const out = ['<!--', ...headerLines(ctx, 'diagram.md', 'state diagrams (Mermaid)'), '-->', '', `# ${label(ctx.model.document.name) || 'Model'}: state machines`, ''];
  for (const r of ctx.model.catalog.resources.values()) {
    const doc = ctx.model.document.resources.find((d) => d.name === r.name);
    out.push(`## ${r.name}`, '', '```mermaid', 'stateDiagram-v2');
    r.states.forEach((s) => out.push(`  state "${s}" as ${id(s)}`));
    out.push(`  [*] --> ${id(r.states[r.initial] ?? r.states[0] ?? '')}`);
    for (const t of doc?.transitions ?? []) {
      const name = t.name ? label(t.name) : '';
      out.push(`  ${id(t.from)} --> ${id(t.to)}${name ? ` : ${name}` : ''}`);
    }
    r.states.forEach((s, i) => {
      if (r.stateKinds[i] === 'terminal' && !r.states.some((t) => r.edges.has(`${s}->${t}`))) out.push(`  ${id(s)} --> [*]`);
    });
    const kinds = ['transitional', 'error'] as const;
    out.push('  classDef transitional fill:#fff4d6,stroke:#b7791f', '  classDef error fill:#fde2e1,stroke:#c53030');
    for (const kind of kinds) {
      const members = r.states.filter((_, i) => r.stateKinds[i] === kind);
      if (members.length) out.push(`  class ${members.map(id).join(',')} ${kind}`);
    }
    out.push('```', '');
    const legend = r.states.map((s, i) => `${s} (${r.stateKinds[i]})`).join(', ');
    out.push(`States: ${legend}.`, '');
  }
  return out.join('\n');
}
