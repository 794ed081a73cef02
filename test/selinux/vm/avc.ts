/** One AVC denial as the kernel logs it ("avc:  denied  { write } for ... tclass=file"). */
export interface AvcDenial {
  perms: string[];
  scontext: string;
  tcontext: string;
  tclass: string;
  /** The type field of scontext and tcontext. */
  stype: string;
  ttype: string;
  /** True when the kernel logged it but allowed the access (permissive mode). */
  permissive: boolean;
  /** The command name, when logged. */
  comm: string | undefined;
  /** The object's name, when logged. */
  name: string | undefined;
  raw: string;
}

function typeOf(context: string): string {
  return context.split(':')[2] ?? '';
}

function field(line: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${key}=("[^"]*"|\\S+)`).exec(line);
  if (!m?.[1]) return undefined;
  return m[1].startsWith('"') ? m[1].slice(1, -1) : m[1];
}

/** Parses an AVC denial from a kernel log line; undefined for any other line. */
export function parseAvcDenial(line: string): AvcDenial | undefined {
  const m = /avc:\s+denied\s+\{([^}]*)\}/.exec(line);
  if (!m?.[1]) return undefined;
  const scontext = field(line, 'scontext');
  const tcontext = field(line, 'tcontext');
  const tclass = field(line, 'tclass');
  if (!scontext || !tcontext || !tclass) return undefined;
  return {
    perms: m[1].trim().split(/\s+/),
    scontext,
    tcontext,
    tclass,
    stype: typeOf(scontext),
    ttype: typeOf(tcontext),
    permissive: field(line, 'permissive') === '1',
    comm: field(line, 'comm'),
    name: field(line, 'name'),
    raw: line.trim(),
  };
}

/** A short human form: "control_t -> etc_t:file { write } (comm=sh name=etc.conf)". */
export function describeDenial(d: AvcDenial): string {
  const where = [d.comm && `comm=${d.comm}`, d.name && `name=${d.name}`].filter(Boolean).join(' ');
  return `${d.stype} -> ${d.ttype}:${d.tclass} { ${d.perms.join(' ')} }${where ? ` (${where})` : ''}`;
}
