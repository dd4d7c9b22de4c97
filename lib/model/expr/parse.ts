/**
 * Recursive-descent parser for Lockstep's expression language:
 *
 *   or      := and ('||' and)*
 *   and     := not ('&&' not)*
 *   not     := '!' not | compare
 *   compare := sum (('=='|'!='|'<'|'<='|'>'|'>='|'in') sum)?
 *   sum     := unary (('+'|'-') unary)*
 *   unary   := '-' unary | postfix
 *   postfix := primary ('.' ident)*
 *   primary := number | "string" | true | false | ident | '(' or ')' | '[' list ']'
 *            | all(x: Type, e) | any(x: Type, e) | count(Type, "state")
 *            | at(op, "label") | holds(lock, instance?)
 *            | token(lock, instance?) | fence(instance, lock) | fence(lock)
 *
 * Hostile input is bounded: nesting deeper than MAX_EXPRESSION_DEPTH is an
 * `ExprError` (never a stack overflow), chains of && and || are built as
 * balanced trees (a flat chain of any length stays shallow), and integer
 * literals must fit the checker's 32-bit integers.
 */
import { ExprError, type BinaryOp, type Expr } from './ast';
import { INT32_MAX, INT32_RANGE_TEXT, MAX_EXPRESSION_DEPTH } from '../limits';

type Token =
  | { kind: 'num'; col: number; value: number }
  | { kind: 'str'; col: number; value: string }
  | { kind: 'ident'; col: number; value: string }
  | { kind: 'op'; col: number; value: string }
  | { kind: 'end'; col: number };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '!', '(', ')', '[', ']', ',', '.', ':'];

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const col = i + 1;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch >= '0' && ch <= '9') {
      let j = i;
      while (j < source.length && source[j] >= '0' && source[j] <= '9') j++;
      const value = Number(source.slice(i, j));
      if (value > INT32_MAX) {
        const digits = j - i > 24 ? `${source.slice(i, i + 20)}… (${j - i} digits)` : source.slice(i, j);
        throw new ExprError(`the number ${digits} is outside ${INT32_RANGE_TEXT}`, col);
      }
      tokens.push({ kind: 'num', col, value });
      i = j;
    } else if (isIdentStart(source.charCodeAt(i))) {
      let j = i;
      while (j < source.length && isIdentPart(source.charCodeAt(j))) j++;
      tokens.push({ kind: 'ident', col, value: source.slice(i, j) });
      i = j;
    } else if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) throw new ExprError('unterminated string', col);
      tokens.push({ kind: 'str', col, value: source.slice(i + 1, end) });
      i = end + 1;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) {
        const hint = ch === '=' ? " (use '==' to compare)" : ch === '&' || ch === '|' ? ` (use '${ch}${ch}')` : '';
        throw new ExprError(`unexpected character '${ch}'${hint}`, col);
      }
      tokens.push({ kind: 'op', col, value: op });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', col: source.length + 1 });
  return tokens;
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of expression';
  if (token.kind === 'str') return `"${token.value}"`;
  return `'${token.value}'`;
}

const tooDeep = (col: number) => new ExprError(`expression nests deeper than ${MAX_EXPRESSION_DEPTH}`, col);

class Parser {
  private index = 0;
  /** Current recursion depth (parentheses, prefix operators, lists, function arguments). */
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Call before recursing (and `this.depth--` after): a parse error abandons the parser, so no finally is needed. */
  private enter(): void {
    if (++this.depth > MAX_EXPRESSION_DEPTH) throw tooDeep(this.peek().col);
  }

  private peek(): Token {
    return this.tokens[this.index];
  }
  private next(): Token {
    return this.tokens[this.index++];
  }
  private isOp(value: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.value === value;
  }
  private expectOp(value: string): Token {
    const token = this.next();
    if (token.kind !== 'op' || token.value !== value) {
      throw new ExprError(`expected '${value}' but found ${describe(token)}`, token.col);
    }
    return token;
  }
  private expectIdent(what: string): Extract<Token, { kind: 'ident' }> {
    const token = this.next();
    if (token.kind !== 'ident') throw new ExprError(`expected ${what} but found ${describe(token)}`, token.col);
    return token;
  }
  /** A name that may be written bare (`holds(shareLock, s)`) or quoted (`holds("share-lock", s)`). */
  private expectName(what: string): { value: string; col: number } {
    const token = this.next();
    if (token.kind !== 'ident' && token.kind !== 'str') {
      throw new ExprError(`expected ${what} but found ${describe(token)}`, token.col);
    }
    return { value: token.value, col: token.col };
  }

  parseAll(): Expr {
    const expr = this.or();
    const token = this.peek();
    if (token.kind !== 'end') throw new ExprError(`unexpected ${describe(token)} after the expression`, token.col);
    return expr;
  }

  /**
   * `a && b && c …` as a balanced tree: && and || are associative (short-circuit
   * included, evaluation stays left to right), so a long flat chain costs log n depth.
   */
  private balancedChain(op: '&&' | '||'): Expr {
    const first = op === '||' ? this.and() : this.not();
    if (!this.isOp(op)) return first;
    const operands = [first];
    const cols: number[] = [];
    while (this.isOp(op)) {
      cols.push(this.next().col);
      operands.push(op === '||' ? this.and() : this.not());
    }
    const build = (lo: number, hi: number): Expr => {
      if (lo === hi) return operands[lo];
      const mid = (lo + hi) >> 1;
      return { kind: 'binary', col: cols[mid], op, left: build(lo, mid), right: build(mid + 1, hi) };
    };
    return build(0, operands.length - 1);
  }

  private or(): Expr {
    this.enter();
    const expr = this.balancedChain('||');
    this.depth--;
    return expr;
  }
  private and(): Expr {
    return this.balancedChain('&&');
  }
  private not(): Expr {
    const token = this.peek();
    if (token.kind === 'op' && token.value === '!') {
      this.next();
      this.enter();
      const arg = this.not();
      this.depth--;
      return { kind: 'unary', col: token.col, op: '!', arg };
    }
    return this.compare();
  }
  private compare(): Expr {
    const left = this.sum();
    const token = this.peek();
    const isCompare =
      (token.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.value)) ||
      (token.kind === 'ident' && token.value === 'in');
    if (!isCompare) return left;
    this.next();
    const right = this.sum();
    const op = (token as { value: string }).value as BinaryOp;
    const after = this.peek();
    if (after.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(after.value)) {
      throw new ExprError('comparisons cannot be chained; use && between them', after.col);
    }
    return { kind: 'binary', col: token.col, op, left, right };
  }
  /** Left-associative (a - b - c is (a - b) - c), built in a loop; `checkDepth` bounds the tree. */
  private sum(): Expr {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || (token.value !== '+' && token.value !== '-')) return left;
      this.next();
      const right = this.unary();
      left = { kind: 'binary', col: token.col, op: token.value, left, right };
    }
  }
  private unary(): Expr {
    const token = this.peek();
    if (token.kind === 'op' && token.value === '-') {
      this.next();
      this.enter();
      const arg = this.unary();
      this.depth--;
      return { kind: 'unary', col: token.col, op: '-', arg };
    }
    return this.postfix();
  }
  private postfix(): Expr {
    let expr = this.primary();
    while (this.isOp('.')) {
      this.next();
      const field = this.expectIdent('a field name after "."');
      expr = { kind: 'field', col: expr.col, object: expr, field: field.value, fieldCol: field.col };
    }
    return expr;
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'num':
        return { kind: 'num', col: token.col, value: token.value };
      case 'str':
        return { kind: 'str', col: token.col, value: token.value };
      case 'ident': {
        if (token.value === 'true' || token.value === 'false') {
          return { kind: 'bool', col: token.col, value: token.value === 'true' };
        }
        if (this.isOp('(')) return this.builtin(token);
        return { kind: 'name', col: token.col, name: token.value };
      }
      case 'op': {
        if (token.value === '(') {
          const inner = this.or();
          this.expectOp(')');
          return inner;
        }
        if (token.value === '[') {
          const items: Expr[] = [];
          if (!this.isOp(']')) {
            items.push(this.or());
            while (this.isOp(',')) {
              this.next();
              items.push(this.or());
            }
          }
          this.expectOp(']');
          return { kind: 'list', col: token.col, items };
        }
        throw new ExprError(`unexpected ${describe(token)}`, token.col);
      }
      case 'end':
        throw new ExprError('expression ends too early', token.col);
    }
  }

  private builtin(name: Extract<Token, { kind: 'ident' }>): Expr {
    this.expectOp('(');
    const col = name.col;
    let expr: Expr;
    switch (name.value) {
      case 'all':
      case 'any': {
        const variable = this.expectIdent('a variable name, as in all(s: Share, …)');
        this.expectOp(':');
        const type = this.expectIdent('a resource type after ":"');
        this.expectOp(',');
        const body = this.or();
        expr = {
          kind: 'quant',
          col,
          quantifier: name.value,
          variable: variable.value,
          type: type.value,
          typeCol: type.col,
          body,
        };
        break;
      }
      case 'count': {
        const type = this.expectIdent('a resource type, as in count(Share, "deleting")');
        this.expectOp(',');
        const state = this.expectName('a state name');
        expr = { kind: 'count', col, type: type.value, typeCol: type.col, state: state.value, stateCol: state.col };
        break;
      }
      case 'at': {
        const operation = this.expectName('an operation name, as in at(deleteShare, "label")');
        this.expectOp(',');
        const label = this.expectName('a step label');
        expr = { kind: 'at', col, operation: operation.value, label: label.value, labelCol: label.col };
        break;
      }
      case 'holds': {
        const lock = this.expectName('a lock name, as in holds("share-lock", share1)');
        let on: Expr | null = null;
        if (this.isOp(',')) {
          this.next();
          on = this.or();
        }
        expr = { kind: 'holds', col, lock: lock.value, lockCol: lock.col, on };
        break;
      }
      case 'token': {
        const lock = this.expectName('a lock name, as in token("share-lease", share)');
        let on: Expr | null = null;
        if (this.isOp(',')) {
          this.next();
          on = this.or();
        }
        expr = { kind: 'token', col, lock: lock.value, lockCol: lock.col, on };
        break;
      }
      case 'fence':
        expr = this.fence(col);
        break;
      default:
        throw new ExprError(`unknown function '${name.value}' (known: all, any, count, at, holds, token, fence)`, col);
    }
    this.expectOp(')');
    return expr;
  }

  /** `fence(instance, lock)`, or `fence(lock)` for a global lock: a lone name before ')' is the lock. */
  private fence(col: number): Expr {
    const first = this.peek();
    const second = this.tokens[this.index + 1];
    if ((first.kind === 'ident' || first.kind === 'str') && second.kind === 'op' && second.value === ')') {
      this.next();
      return { kind: 'fence', col, lock: first.value, lockCol: first.col, on: null };
    }
    const on = this.or();
    this.expectOp(',');
    const lock = this.expectName('a lock name, as in fence(share, "share-lease")');
    return { kind: 'fence', col, lock: lock.value, lockCol: lock.col, on };
  }
}

/** Parses an expression; throws `ExprError` with a column on bad syntax or nesting deeper than MAX_EXPRESSION_DEPTH. */
export function parseExpr(source: string): Expr {
  const expr = new Parser(tokenize(source)).parseAll();
  checkDepth(expr);
  return expr;
}

/**
 * The parser builds `a + b + c …` and `x.f.g …` in loops, so their trees can be
 * deeper than its recursion: measure the tree (iteratively) so that every later
 * recursive walk (type checker, compiler) stays within the limit.
 */
function checkDepth(root: Expr): void {
  const stack: Array<[Expr, number]> = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [expr, depth] = top;
    if (depth > MAX_EXPRESSION_DEPTH) throw tooDeep(expr.col);
    for (const child of children(expr)) stack.push([child, depth + 1]);
  }
}

function children(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'field':
      return [expr.object];
    case 'unary':
      return [expr.arg];
    case 'binary':
      return [expr.left, expr.right];
    case 'list':
      return expr.items;
    case 'quant':
      return [expr.body];
    case 'holds':
    case 'token':
    case 'fence':
      return expr.on ? [expr.on] : [];
    default:
      return [];
  }
}
