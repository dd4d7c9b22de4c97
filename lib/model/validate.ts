import { modelSchema, type ModelDocument } from './schema';
import { formatPath, type ModelIssue, type Validated } from './issues';

/**
 * Validates an unknown value as a model document: structure (zod), then names,
 * cross-references and expressions. Never throws.
 */
export function validateModel(input: unknown): Validated<ModelDocument> {
  const parsed = modelSchema.safeParse(input);
  if (!parsed.success) {
    const issues: ModelIssue[] = parsed.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message,
      code: 'LS101',
    }));
    return { ok: false, issues };
  }
  return { ok: true, value: parsed.data };
}

/** Parses JSON text and validates it; a syntax error is reported as an issue, not thrown. */
export function parseModelJson(text: string): Validated<ModelDocument> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      issues: [{ path: '', message: `not valid JSON: ${(error as Error).message}`, code: 'LS100' }],
    };
  }
  return validateModel(value);
}
