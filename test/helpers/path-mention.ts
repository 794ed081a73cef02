/**
 * Whether TEXT names DIR or a path below it: `DIR`, `DIR/x`, also inside `--root=DIR`, `unix://DIR/…`
 * or a JSON string, but not `DIR-sibling` or `DIRx`.
 */
export function mentionsPath(text: string, dir: string): boolean {
  for (let i = text.indexOf(dir); i >= 0; i = text.indexOf(dir, i + 1)) {
    const next = text[i + dir.length];
    if (next === undefined || !/[\w.-]/.test(next)) return true;
  }
  return false;
}
