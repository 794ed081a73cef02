export * from './settings.js';
export { parseImageReference, formatImageReference } from './image-reference.js';
export type { ImageReference, RegistryImageReference, OciArchiveReference } from './image-reference.js';
export { validateSettings, validateSettingsPatch } from './validate-settings.js';
export type { SettingsChange } from './validate-settings.js';
export { resourceLimits } from './resources-setting.js';
export type { ResourceLimits, ResourcesSettings } from './resources-setting.js';
export { defaultSettings } from './defaults.js';
export type { DefaultSettingsOptions } from './defaults.js';
export { mergeSettings, changedKeys } from './effective-settings.js';
export {
  SETTINGS_ROOT,
  keySegments,
  toFullKey,
  isUnderKey,
  flattenSettings,
  unflattenSettings,
  deepFreeze,
} from './settings-keys.js';
export type { JsonObject } from './settings-keys.js';
export { resolveSchemaPath, knownFullKey, SETTINGS_SCHEMA } from './settings-schema.js';
export { parseKeypair, keypairsToTree, typeKeypairValue } from './keypair.js';
export { decodeBase64 } from './base64.js';
export { DEFAULT_API_ACCESS } from './api-access-setting.js';
export type { ApiAccess } from './api-access-setting.js';
export { parseRfc3339 } from './rfc3339.js';
export { parseSettingsDocument } from './settings-document.js';
export { withoutOtherBottlerocketSections } from './other-bottlerocket-sections.js';
export type { SettingsDocumentOptions } from './settings-document.js';
