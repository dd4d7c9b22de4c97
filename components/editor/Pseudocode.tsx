'use client';

import { operationText, type Operation } from '@/lib/model';
import styles from './editor.module.css';

const KEYWORD = /^(\s*)(read|if|then|else|await|require|write|cas|atomic|acquire|release|with|call|assert|abort|return|onFail|repeat)\b/;

/** The operation as read-only pseudo-code: keywords and labels set apart. */
export function Pseudocode({ op }: { op: Operation }) {
  let text: string;
  try {
    text = operationText(op);
  } catch (e) {
    text = `(cannot render: ${(e as Error).message})`;
  }
  return (
    <pre className={styles.pseudoCode} data-testid="pseudocode" role="region" aria-label={`Pseudo-code of ${op.name}`} tabIndex={0}>
      {text.split('\n').map((line, i) => {
        const hash = line.lastIndexOf('  # ');
        const code = hash >= 0 ? line.slice(0, hash) : line;
        const comment = hash >= 0 ? line.slice(hash) : '';
        const m = KEYWORD.exec(code);
        return (
          <span key={i}>
            {i > 0 && '\n'}
            {m ? (
              <>
                {m[1]}
                <span className={styles.kw}>{m[2]}</span>
                {code.slice(m[0].length)}
              </>
            ) : i === 0 ? (
              <span className={styles.sig}>{code}</span>
            ) : (
              code
            )}
            {comment && <span className={styles.comment}>{comment}</span>}
          </span>
        );
      })}
    </pre>
  );
}
