/** What happened to boot user data this start: `apiclient status` shows an error to the operator. */
export interface UserDataOutcome {
  /** The documents found (`'/etc/berth/user-data.toml'`, `the NoCloud seed (LABEL=CIDATA)`). */
  sources: string[];
  /** Committed this start; false when an earlier start applied it, or when it was refused. */
  applied: boolean;
  /** Settings whose value it changed. */
  changedKeys: string[];
  /** Sections of other parts of a Bottlerocket host (`kubernetes`, `motd`, …) it held, left out. */
  skipped: string[];
  /** Why nothing was applied (the document and the line or key at fault). */
  error?: string;
}

/** An essential bootstrap command or container that failed, by its settings name, and why. */
export interface BootFailure {
  kind: 'command' | 'container';
  name: string;
  error: string;
}

/**
 * Where the boot is: bootstrap commands run first, then bootstrap containers, and host containers
 * start only once no essential one failed. A failed boot keeps the API up; it is retried on request
 * (`POST /boot/retry`) or when bootstrap settings change.
 */
export interface BootstrapReport {
  /** `running` (bootstrap commands and containers run), `succeeded` (host containers started) or `failed`. */
  state: 'running' | 'succeeded' | 'failed';
  /** What made the boot fail; empty unless failed. */
  failures: BootFailure[];
  /** Runs of the bootstrap stage by this berthd: 1, plus one per retry. */
  attempts: number;
  /** When the state last changed (RFC 3339). */
  since: string;
}

/** What berthd found at boot that an operator must be able to read through the API. */
export interface BootReport {
  userData?: UserDataOutcome;
  /** The bootstrap stage; `GET /boot` always has it (`running` with 0 attempts before it starts). */
  bootstrap?: BootstrapReport;
}
