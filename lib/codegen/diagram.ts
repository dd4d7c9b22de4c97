/** diagram.md: a Mermaid stateDiagram-v2 per resource, for docs. */
import { htmlHeader, type Context } from './context';
import { documentResources, edgeIndex } from './edges';
import { markdownText } from './escape/markdown';
import { mermaidId as id, mermaidLabel as label } from './escape/mermaid';

export function diagramFile(ctx: Context): string {
  const title = markdownText(ctx.model.document.name).trim() || 'Model';
  const out = [htmlHeader(ctx, 'diagram.md', 'state diagrams (Mermaid)'), '', `# ${title}: state machines`, ''];
  const docs = documentResources(ctx.model.document.resources);
  for (const r of ctx.model.catalog.resources.values()) {
    const doc = docs.get(r.name);
    const { outgoing } = edgeIndex(r, doc);
    out.push(`## ${markdownText(r.name)}`, '', '```mermaid', 'stateDiagram-v2');
    r.states.forEach((s) => out.push(`  state "${label(s)}" as ${id(s)}`));
    out.push(`  [*] --> ${id(r.states[r.initial] ?? r.states[0] ?? '')}`);
    for (const t of doc?.transitions ?? []) {
      const name = t.name ? label(t.name) : '';
      out.push(`  ${id(t.from)} --> ${id(t.to)}${name ? ` : ${name}` : ''}`);
    }
    r.states.forEach((s, i) => {
      if (r.stateKinds[i] === 'terminal' && outgoing[i]!.length === 0) out.push(`  ${id(s)} --> [*]`);
    });
    const kinds = ['transitional', 'error'] as const;
    out.push('  classDef transitional fill:#fff4d6,stroke:#b7791f', '  classDef error fill:#fde2e1,stroke:#c53030');
    for (const kind of kinds) {
      const members = r.states.filter((_, i) => r.stateKinds[i] === kind);
      if (members.length) out.push(`  class ${members.map(id).join(',')} ${kind}`);
    }
    out.push('```', '');
    const legend = r.states.map((s, i) => `${s} (${r.stateKinds[i]})`).join(', ');
    out.push(`States: ${markdownText(legend)}.`, '');
  }
  return out.join('\n');
}
