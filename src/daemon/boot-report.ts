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

/** What berthd found at boot that an operator must be able to read through the API. */
export interface BootReport {
  userData?: UserDataOutcome;
}
