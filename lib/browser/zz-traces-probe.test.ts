import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { checkScenario } from '@/lib/check';
import { analyze } from '@/lib/check/replay';
import { lockLabel, localsText, qualifyLockNames } from '@/lib/browser/trace-model';
it('probe', () => {
  for (const [file, sc] of [['lock-scope', 'file-lock-two-nodes'], ['share-delete-vs-snapshot', 'naive-two-deletes'], ['lock-scope', 'file-lock-two-nodes-harm']]) {
    const a = analyze(JSON.parse(readFileSync(`examples/${file}.json`, 'utf8')));
    if (!a.ok) throw new Error('bad');
    const r = checkScenario(a.model, sc);
    console.log(sc, r.verdict, JSON.stringify(r.violation));
    const views = [r.trace!.initial, ...r.trace!.steps.map((s) => s.state)];
    views.forEach((v, k) => {
      const st = k ? r.trace!.steps[k - 1] : null;
      console.log(k, st ? st.process + ': ' + st.events.map((e) => qualifyLockNames(e.text, st.process, v)).join(' | ') : '', '||', v.locks.map((l) => lockLabel(l) + ':' + l.holders.map((h) => h.process)).join(' '), '||', v.processes.map((p) => `${p.name}[${p.node}/${p.osProcess}] ${localsText(p)}`).join('; '));
    });
  }
});
import { explainViolationValues } from '@/lib/check/explain';
it('explain', () => {
  for (const [file, sc] of [['lock-scope', 'file-lock-two-nodes-harm'], ['share-delete-vs-snapshot', 'naive-two-deletes'], ['share-delete-vs-snapshot', 'naive-delete-vs-snapshot']]) {
    const a = analyze(JSON.parse(readFileSync(`examples/${file}.json`, 'utf8')));
    if (!a.ok) throw new Error('bad');
    const r = checkScenario(a.model, sc);
    const views = [r.trace!.initial, ...r.trace!.steps.map((s) => s.state)];
    console.log(sc, JSON.stringify(explainViolationValues(a.model, sc, r.violation!, views.at(-2)!, views.at(-1)!)));
  }
});
