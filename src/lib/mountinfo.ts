/** One line of /proc/<pid>/mountinfo, the fields berth reads. */
export interface MountEntry {
  /** Where it is mounted, unescaped. */
  mountPoint: string;
  /** The directory of the filesystem that is mounted there ("/" unless a bind of a subtree). */
  root: string;
  /** Filesystem type: overlay, tmpfs, cgroup, cgroup2, … */
  fsType: string;
}

/** The kernel writes space, tab, newline and backslash in paths as three octal digits (`\040`). */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/**
 * Parses mountinfo text (proc(5)): "36 35 98:0 /root /mnt opts [optional…] - type source superopts".
 * Lines that do not have that shape are skipped.
 */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    const root = fields[3];
    const mountPoint = fields[4];
    const fsType = fields[separator + 1];
    if (separator < 0 || root === undefined || mountPoint === undefined || fsType === undefined) continue;
    out.push({ mountPoint: unescapeOctal(mountPoint), root: unescapeOctal(root), fsType });
  }
  return out;
}

/** Whether `file` is `dir` itself or lies below it (both absolute and normalized). */
export function isAtOrBelow(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
