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
 */
import { ExprError, type BinaryOp, type Expr } from './ast';

type Token =
  | { t: 'num'; col: number; value: number }
  | { t: 'str'; col: number; value: string }
  | { t: 'ident'; col: number; value: string }
  | { t: 'op'; col: number; value: string }
  | { t: 'end'; col: number };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '!', '(', ')', '[', ']', ',', '.', ':'];

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
      tokens.push({ t: 'num', col, value: Number(source.slice(i, j)) });
      i = j;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i;
      while (j < source.length && /[A-Za-z0-9_]/.test(source[j])) j++;
      tokens.push({ t: 'ident', col, value: source.slice(i, j) });
      i = j;
    } else if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) throw new ExprError('unterminated string', col);
      tokens.push({ t: 'str', col, value: source.slice(i + 1, end) });
      i = end + 1;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) {
        const hint = ch === '=' ? " (use '==' to compare)" : ch === '&' || ch === '|' ? ` (use '${ch}${ch}')` : '';
        throw new ExprError(`unexpected character '${ch}'${hint}`, col);
      }
      tokens.push({ t: 'op', col, value: op });
      i += op.length;
    }
  }
  tokens.push({ t: 'end', col: source.length + 1 });
  return tokens;
}

function describe(token: Token): string {
  if (token.t === 'end') return 'end of expression';
  if (token.t === 'str') return `"${token.value}"`;
  return `'${token.value}'`;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index];
  }
  private next(): Token {
    return this.tokens[this.index++];
  }
  private isOp(value: string): boolean {
    const token = this.peek();
    return token.t === 'op' && token.value === value;
  }
  private expectOp(value: string): Token {
    const token = this.next();
    if (token.t !== 'op' || token.value !== value) {
      throw new ExprError(`expected '${value}' but found ${describe(token)}`, token.col);
    }
    return token;
  }
  private expectIdent(what: string): Extract<Token, { t: 'ident' }> {
    const token = this.next();
    if (token.t !== 'ident') throw new ExprError(`expected ${what} but found ${describe(token)}`, token.col);
    return token;
  }
  /** A name that may be written bare (`holds(shareLock, s)`) or quoted (`holds("share-lock", s)`). */
  private expectName(what: string): { value: string; col: number } {
    const token = this.next();
    if (token.t !== 'ident' && token.t !== 'str') {
      throw new ExprError(`expected ${what} but found ${describe(token)}`, token.col);
    }
    return { value: token.value, col: token.col };
  }

  parseAll(): Expr {
    const expr = this.or();
    const token = this.peek();
    if (token.t !== 'end') throw new ExprError(`unexpected ${describe(token)} after the expression`, token.col);
    return expr;
  }

  private binaryChain(ops: BinaryOp[], operand: () => Expr): Expr {
    let left = operand();
    for (;;) {
      const token = this.peek();
      if (token.t !== 'op' || !ops.includes(token.value as BinaryOp)) return left;
      this.next();
      const right = operand();
      left = { kind: 'binary', col: token.col, op: token.value as BinaryOp, left, right };
    }
  }

  private or(): Expr {
    return this.binaryChain(['||'], () => this.and());
  }
  private and(): Expr {
    return this.binaryChain(['&&'], () => this.not());
  }
  private not(): Expr {
    const token = this.peek();
    if (token.t === 'op' && token.value === '!') {
      this.next();
      return { kind: 'unary', col: token.col, op: '!', arg: this.not() };
    }
    return this.compare();
  }
  private compare(): Expr {
    const left = this.sum();
    const token = this.peek();
    const isCompare =
      (token.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.value)) ||
      (token.t === 'ident' && token.value === 'in');
    if (!isCompare) return left;
    this.next();
    const right = this.sum();
    const op = (token as { value: string }).value as BinaryOp;
    const after = this.peek();
    if (after.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(after.value)) {
      throw new ExprError('comparisons cannot be chained; use && between them', after.col);
    }
    return { kind: 'binary', col: token.col, op, left, right };
  }
  private sum(): Expr {
    return this.binaryChain(['+', '-'], () => this.unary());
  }
  private unary(): Expr {
    const token = this.peek();
    if (token.t === 'op' && token.value === '-') {
      this.next();
      return { kind: 'unary', col: token.col, op: '-', arg: this.unary() };
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
    switch (token.t) {
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

  private builtin(name: Extract<Token, { t: 'ident' }>): Expr {
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
      default:
        throw new ExprError(`unknown function '${name.value}' (known: all, any, count, at, holds)`, col);
    }
    this.expectOp(')');
    return expr;
  }
}

/** Parses an expression; throws `ExprError` with a column on bad syntax. */
export function parseExpr(source: string): Expr {
  return new Parser(tokenize(source)).parseAll();
}
