import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/** An SELinux label written as a string literal in a source file. */
export interface LabelUse {
  file: string;
  line: number;
  label: string;
  /** The fields of user:role:type:level. */
  user: string;
  role: string;
  type: string;
}

const LABEL = /(['"`])(system_u:[a-z0-9_]+:[a-z0-9_]+(?::[^'"`\s]+)?)\1/g;

/** Every `system_u:...` string literal in the text, with its line number. */
export function findLabels(text: string, file: string): LabelUse[] {
  const uses: LabelUse[] = [];
  text.split('\n').forEach((content, i) => {
    for (const m of content.matchAll(LABEL)) {
      const label = m[2] ?? '';
      const [user = '', role = '', type = ''] = label.split(':');
      uses.push({ file, line: i + 1, label, user, role, type });
    }
  });
  return uses;
}

/** Every label string in the TypeScript sources of a directory (tests excluded). */
export async function scanLabels(dir: string): Promise<LabelUse[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort();
  const uses: LabelUse[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    uses.push(...findLabels(await readFile(file, 'utf8'), file));
  }
  return uses;
}
