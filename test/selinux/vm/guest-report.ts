import { type AvcDenial, describeDenial, parseAvcDenial } from './avc.js';

/** The marker every protocol line of the guest starts with (see guest/lib.sh). */
export const MARKER = '@@berth ';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** A denial a check provokes on purpose. */
export interface ExpectedDenial {
  stype: string;
  ttype: string;
  tclass: string;
  perm: string;
  /** The object's name in the AVC (name="..."), when the check gives one. */
  name?: string;
}

export interface GuestReport {
  checks: CheckResult[];
  expected: ExpectedDenial[];
  denials: AvcDenial[];
  /** The kernel's complaints about classes or permissions the policy lacks. */
  policyNotes: string[];
  infos: string[];
  /** The guest reached the end of its checks. */
  done: boolean;
}

/** Reads the protocol lines out of the guest's serial console output. */
export function parseGuestOutput(output: string): GuestReport {
  const report: GuestReport = { checks: [], expected: [], denials: [], policyNotes: [], infos: [], done: false };
  for (const rawLine of output.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const at = line.indexOf(MARKER);
    if (at < 0) continue;
    const body = line.slice(at + MARKER.length);
    const [verb = '', ...rest] = body.split(' ');
    const text = rest.join(' ');
    if (verb === 'check') {
      const [state, ...nameAndDetail] = rest;
      const joined = nameAndDetail.join(' ');
      const sep = joined.indexOf(' -- ');
      const name = sep < 0 ? joined : joined.slice(0, sep);
      const detail = sep < 0 ? '' : joined.slice(sep + 4);
      report.checks.push({ name, ok: state === 'pass', detail });
    } else if (verb === 'expect-denial' && (rest.length === 4 || rest.length === 5)) {
      const [stype = '', ttype = '', tclass = '', perm = '', name] = rest;
      report.expected.push({ stype, ttype, tclass, perm, ...(name ? { name } : {}) });
    } else if (verb === 'avc') {
      const denial = parseAvcDenial(text);
      if (denial) report.denials.push(denial);
    } else if (verb === 'policy-note') {
      report.policyNotes.push(text);
    } else if (verb === 'done') {
      report.done = true;
    } else {
      report.infos.push(verb === 'info' ? text : body);
    }
  }
  return report;
}

function matches(e: ExpectedDenial, d: AvcDenial): boolean {
  return (
    e.stype === d.stype &&
    e.ttype === d.ttype &&
    e.tclass === d.tclass &&
    d.perms.includes(e.perm) &&
    (e.name === undefined || e.name === d.name)
  );
}

export function describeExpected(e: ExpectedDenial): string {
  return `${e.stype} -> ${e.ttype}:${e.tclass} { ${e.perm} }${e.name ? ` (name=${e.name})` : ''}`;
}

export interface Verdict {
  ok: boolean;
  /** Every reason the run failed, one line each. */
  failures: string[];
  /** Expected denials that happened, with the denial that matched. */
  seenDenials: { expected: ExpectedDenial; denial: AvcDenial }[];
}

/**
 * Judges a run: every check passed, every expected denial happened (each its own AVC message), no
 * denial happened that no check expected, the kernel knew every class the policy names, and the guest finished.
 */
export function judge(report: GuestReport): Verdict {
  const failures: string[] = [];
  if (!report.done) failures.push('the guest did not finish its checks (crash, panic or timeout)');
  if (report.checks.length === 0) failures.push('the guest reported no checks');
  for (const c of report.checks.filter((x) => !x.ok)) failures.push(`check failed: ${c.name}: ${c.detail}`);
  for (const note of report.policyNotes) failures.push(`the kernel lacks part of the policy: ${note}`);
  const seenDenials: Verdict['seenDenials'] = [];
  // Each expectation claims a denial of its own, so a later check cannot be satisfied by an
  // earlier check's denial of the same kind.
  const claimed = new Set<AvcDenial>();
  for (const e of report.expected) {
    const denial = report.denials.find((d) => !claimed.has(d) && matches(e, d));
    if (denial) {
      claimed.add(denial);
      seenDenials.push({ expected: e, denial });
    } else failures.push(`expected denial did not happen: ${describeExpected(e)}`);
  }
  for (const d of report.denials) {
    if (!report.expected.some((e) => matches(e, d))) failures.push(`unexpected denial: ${describeDenial(d)}`);
    if (d.permissive) failures.push(`the kernel was permissive: ${describeDenial(d)}`);
  }
  return { ok: failures.length === 0, failures, seenDenials };
}
