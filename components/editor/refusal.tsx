'use client';

import { createContext, useContext, useState } from 'react';
import type { Reference } from '@/lib/editor/references';

export interface Refusal {
  /** Where to explain it, e.g. `state`, `resource`, `lock`, `operation`. */
  scope: string;
  title: string;
  references: Reference[];
}

const RefusalContext = createContext<{ refusal: Refusal | null; set: (r: Refusal | null) => void }>({ refusal: null, set: () => {} });

/** Holds the last refused edit (e.g. deleting a state still in use) so the inspector can explain it. */
export function RefusalProvider({ children }: { children: React.ReactNode }) {
  const [refusal, set] = useState<Refusal | null>(null);
  return <RefusalContext.Provider value={{ refusal, set }}>{children}</RefusalContext.Provider>;
}

export const useRefusal = () => useContext(RefusalContext).set;
export const useCurrentRefusal = () => useContext(RefusalContext).refusal;
