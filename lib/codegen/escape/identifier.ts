/**
 * TypeScript identifiers derived from model names. Deriving is lossy
 * (`a_b`, `aB` and `AB` all become `aB`), so every identifier of one generated
 * scope is claimed from a NameTable: a collision gets a numbered suffix instead
 * of silently merging two model names into one declaration.
 */

/** Reserved words, strict-mode restricted names and TypeScript's predeclared type names. */
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await ' +
    'arguments eval undefined NaN Infinity globalThis ' +
    'any unknown never object string number boolean bigint symbol').split(' '),
);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** `mark-deleting` → `MarkDeleting`. */
export function pascal(name: string): string {
  const out = words(name).map(cap).join('');
  return /^[0-9]/.test(out) ? `N${out}` : out || 'X';
}

/** `delete-share` → `deleteShare`; `Share` → `share`. Never a reserved word. */
export function camel(name: string): string {
  const p = pascal(name);
  const out = p.charAt(0).toLowerCase() + p.slice(1);
  return RESERVED.has(out) ? `${out}_` : out;
}

/** The top-level names a source text declares (to keep derived names clear of a copied-in runtime). */
export function declaredNames(source: string): string[] {
  return [...source.matchAll(/^(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
}

/**
 * Gives each wanted name a unique identifier, suffixing 2, 3… on collision.
 * Work is linear in the names claimed: the suffix search for a wanted name
 * resumes where the previous search for it stopped, instead of rescanning
 * `wanted2`, `wanted3`… for every one of many colliding names.
 */
export class NameTable {
  private readonly used = new Set<string>();
  /**
   * For a wanted name, the first suffix not known to be taken. Every suffix below it
   * names an identifier in `used` (or reserved), and `used` only grows, so it stays taken.
   */
  private readonly nextSuffix = new Map<string, number>();

  /** `identifiers: false` for names that are plain strings (SQL columns), where reserved words are fine. */
  constructor(taken: Iterable<string> = [], private readonly options: { identifiers: boolean } = { identifiers: true }) {
    for (const name of taken) this.used.add(name);
  }

  /** Whether `name` is free. */
  free(name: string): boolean {
    return !this.used.has(name) && !(this.options.identifiers && RESERVED.has(name));
  }

  /**
   * Claims `wanted`, or `wanted2`, `wanted3`…, the first that is free together
   * with the names `also` derives from it (a guard `x` and its `xPlan`).
   */
  claim(wanted: string, also: (name: string) => readonly string[] = () => []): string {
    const available = (name: string) => this.free(name) && also(name).every((n) => this.free(n));
    let name = wanted;
    if (!available(name)) {
      let i = this.nextSuffix.get(wanted) ?? 2;
      // Skip the suffixes already taken for good; only those can be skipped on later calls too
      // (a name refused for its companions alone is checked again: another `also` may accept it).
      while (!this.free(`${wanted}${i}`)) i++;
      this.nextSuffix.set(wanted, i);
      for (name = `${wanted}${i}`; !available(name); name = `${wanted}${++i}`);
    }
    this.used.add(name);
    for (const n of also(name)) this.used.add(n);
    return name;
  }
}
