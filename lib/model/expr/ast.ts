/** Expression syntax tree. Every node carries the 1-based column where it starts. */
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '&&' | '||';

export type Expr =
  | { kind: 'num'; col: number; value: number }
  | { kind: 'bool'; col: number; value: boolean }
  | { kind: 'str'; col: number; value: string }
  | { kind: 'name'; col: number; name: string }
  | { kind: 'field'; col: number; object: Expr; field: string; fieldCol: number }
  | { kind: 'unary'; col: number; op: '!' | '-'; arg: Expr }
  | { kind: 'binary'; col: number; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'list'; col: number; items: Expr[] }
  | { kind: 'quant'; col: number; quantifier: 'all' | 'any'; variable: string; type: string; typeCol: number; body: Expr }
  | { kind: 'count'; col: number; type: string; typeCol: number; state: string; stateCol: number }
  | { kind: 'at'; col: number; operation: string; label: string; labelCol: number }
  | { kind: 'holds'; col: number; lock: string; lockCol: number; on: Expr | null }
  /** `token(L, r)` / `token(L)`: the fencing token the executing process holds. */
  | { kind: 'token'; col: number; lock: string; lockCol: number; on: Expr | null }
  /** `fence(r, L)` / `fence(L)`: the highest token an instance (or, for a global lock, any instance) accepted. */
  | { kind: 'fence'; col: number; lock: string; lockCol: number; on: Expr | null };

/** A problem in an expression, at a 1-based column. */
export class ExprError extends Error {
  readonly col: number;
  constructor(message: string, col: number) {
    // Without a stack trace: these are user-facing messages, and capturing one per
    // bad expression made a document with thousands of them slow to validate.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.col = col;
  }
}
