/** Test fixtures: the shipped share example, parsed and validated. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateModel, type ModelDocument } from '@/lib/model';

export function loadExample(name = 'share-delete-vs-snapshot'): ModelDocument {
  const raw = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', `${name}.json`), 'utf8'));
  const result = validateModel(raw);
  if (!result.ok) throw new Error(`example ${name} is invalid: ${result.issues[0].message}`);
  return result.value;
}
