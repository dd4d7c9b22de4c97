// Imports the compiled generated modules of every model directory given on the
// command line (each holds an expect.json) in one fresh Node process, and prints
// one JSON report: what a payload ran (globalThis.__pwned, PWNED on the console)
// and which model names the generated tables lost or changed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const logged = [];
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const original = console[level];
  console[level] = (...args) => {
    logged.push(args.map(String).join(' '));
    original.call(console, ...args);
  };
}

const problems = [];
const same = (dir, what, actual, expected) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${dir}: ${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
};
/** An object with own keys, `__proto__` included, without assignment. */
const record = (entries) => {
  const o = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  return o;
};
const own = (o, k) => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

for (const dir of process.argv.slice(2)) {
  const exp = JSON.parse(readFileSync(path.join(dir, 'expect.json'), 'utf8'));
  const load = (f) => import(pathToFileURL(path.join(dir, f)).href);
  const [states, guards, locks, machines] = [await load('states.js'), await load('guards.js'), await load('locks.js'), await load('machines.js')];
  // The runtime beside them (every file this model got), imported too: no payload may run there either.
  const runtimeDir = path.join(dir, 'lockstep-runtime');
  const runtime = {};
  for (const f of existsSync(runtimeDir) ? readdirSync(runtimeDir).filter((f) => f.endsWith('.js')).sort() : []) Object.assign(runtime, await load(`lockstep-runtime/${f}`));
  if (globalThis.__pwned !== undefined) problems.push(`${dir}: importing set globalThis.__pwned`);

  const resources = exp.resources.map((r) => r.name);
  same(dir, 'Object.keys(LOCKS)', Object.keys(locks.LOCKS), exp.locks);
  exp.locks.forEach((name) => same(dir, `LOCKS[${name}].name`, own(locks.LOCKS, name)?.name, name));
  same(dir, 'Object.keys(STATES)', Object.keys(states.STATES), resources);
  same(dir, 'Object.keys(MACHINES)', Object.keys(machines.MACHINES), resources);
  // The store layouts come with the guards (and the stores): a model without a guard has neither.
  const hasGuards = Object.keys(guards.GUARDS).length > 0;
  same(dir, 'SQL_TABLES only with guards', guards.SQL_TABLES !== undefined && guards.PRISMA_MODELS !== undefined, hasGuards);
  if (hasGuards) {
    same(dir, 'Object.keys(SQL_TABLES)', Object.keys(guards.SQL_TABLES), resources);
    same(dir, 'Object.keys(PRISMA_MODELS)', Object.keys(guards.PRISMA_MODELS), resources);
    const tables = Object.values(guards.SQL_TABLES).map((t) => t.table);
    same(dir, 'distinct SQL tables', new Set(tables).size, tables.length);
  }
  for (const r of exp.resources) {
    same(dir, `STATES[${r.name}]`, own(states.STATES, r.name), r.states);
    same(dir, `Object.keys(STATE_KINDS[${r.name}])`, Object.keys(own(states.STATE_KINDS, r.name) ?? {}), r.states);
    same(dir, `Object.keys(TRANSITIONS[${r.name}])`, Object.keys(own(states.TRANSITIONS, r.name) ?? {}), r.states);
    same(dir, `TRANSITION_NAMES[${r.name}]`, own(states.TRANSITION_NAMES, r.name), r.transitionNames);
    same(dir, `INITIAL[${r.name}]`, own(states.INITIAL, r.name), r.initial);
    for (const [from, to] of r.edges) same(dir, `canTransition(${r.name}, ${from}, ${to})`, states.canTransition(r.name, from, to), true);
    same(dir, `canTransition(${r.name}, toString, …)`, r.states.includes('toString') ? null : states.canTransition(r.name, 'toString', r.states[0]), r.states.includes('toString') ? null : false);
    const machine = own(machines.MACHINES, r.name);
    same(dir, `machine ${r.name} states`, Object.keys(machine?.states ?? {}), r.states);
    same(dir, `machine ${r.name} initial`, machine?.config.initial, r.initial);
    if (!hasGuards) continue;
    const columns = Object.values(own(guards.SQL_TABLES, r.name)?.columns ?? {});
    same(dir, `distinct columns of ${r.name}`, new Set([...columns, 'id']).size, columns.length + 1);
    const fields = Object.values(own(guards.PRISMA_MODELS, r.name)?.fields ?? {});
    same(dir, `distinct Prisma fields of ${r.name}`, new Set([...fields, 'id']).size, fields.length + 1);
    for (const f of r.fields) same(dir, `SQL column of ${r.name}.${f}`, typeof own(own(guards.SQL_TABLES, r.name)?.columns ?? {}, f), 'string');
  }
  for (const g of Object.values(guards.GUARDS)) {
    const plan = guards[`${g.name}Plan`];
    same(dir, `${g.name}Plan names its guard and a model operation`, [plan?.guard, exp.operations.includes(plan?.operation)], [g.name, true]);
  }

  // The synthetic model's three guards, end to end on the memory store: cas, fenced write, atomic.
  if (exp.run) {
    const { resource, param, row, states: [, , s3], field } = exp.run;
    const r = record(row);
    const store = runtime.memoryStore(record([[resource, new Map([['i1', r]])]]));
    const [cas, fenced, atomic] = Object.values(guards.GUARDS);
    const planOf = (g) => guards[`${g.name}Plan`];
    const token = JSON.stringify(planOf(fenced).ops).match(/"token":\{"kind":"arg","name":("(?:[^"\\]|\\.)*")/);
    const a1 = await cas(store, record([[param, 'i1']]));
    const a2 = await fenced(store, record([[param, 'i1'], [JSON.parse(token[1]), 7]]));
    const a3 = await atomic(store, record([[param, 'i1']]));
    same(dir, 'guard results', [a1.ok, a2.ok, a3.ok, a1.reason ?? a2.reason ?? a3.reason ?? null], [true, true, true, null]);
    same(dir, 'row after the guards', [own(r, 'state'), own(r, field)], [s3, 1]);
    const again = await cas(store, record([[param, 'i1']]));
    same(dir, 'cas again refused with the model message', [again.ok, again.reason], [false, exp.run.casMessage]);
  }
}
if (globalThis.__pwned !== undefined) problems.push('globalThis.__pwned is set');
for (const line of logged) if (/PWNED/.test(line)) problems.push(`console: ${line}`);
process.stdout.write(`\n@@REPORT@@${JSON.stringify({ problems })}\n`);
