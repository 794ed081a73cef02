export { Datastore } from './datastore.js';
export type { DatastoreOpenOptions, SettingsListener } from './datastore.js';
export { DATASTORE_FILE } from './datastore-file.js';
export { DEFAULT_TRANSACTION, checkTransactionName } from './transaction-name.js';
export { applyLaunchUserData, launchUserDataApplied, LAUNCH_TRANSACTION } from './launch-user-data.js';
export type { LaunchUserDataOptions, LaunchUserDataResult, UserDataDocument } from './launch-user-data.js';
export { writeFileAtomic, fsyncDir } from './atomic-write.js';
