/**
 * Imported first by every command: a command parses one model, and zod's
 * generated fast path costs more to build than it saves on a single parse
 * (analyzing the Spin benchmark's model: 39–46 ms with it, 18–30 ms without).
 */
import { z } from 'zod';

z.config({ jitless: true });
