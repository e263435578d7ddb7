// The documentation of every diagnostic rule (code, name, what, why, example, fix, link). Data only.
import type { RuleDoc } from './types';

export const ruleDocs: RuleDoc[] = [];
