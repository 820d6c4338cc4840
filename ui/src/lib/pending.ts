// The view types of the vault-backed screens (generated in ./bindings from engine::api), plus the
// UI-only types: audio levels and the `unavailable` error of a feature the engine lacks.
import type { ApiError } from './bindings/ApiError';

export type { LockState } from './bindings/LockState';
export type { CallLogEntry } from './bindings/CallLogEntry';
export type { ReportTag } from './bindings/ReportTag';
export type { Report } from './bindings/Report';
export type { DirectoryEntry } from './bindings/DirectoryEntry';
export type { PolicyItem } from './bindings/PolicyItem';
export type { SettingsView } from './bindings/SettingsView';

export type { TrainingScenario } from './bindings/TrainingScenario';

export type AudioLevels = { input: number; output: number };

/** An error at the IPC edge: the engine's codes, plus `unavailable` for a feature the running
 * engine does not offer yet. */
export type UiError = ApiError | { code: 'unavailable'; message: string };

export function isUiError(value: unknown): value is UiError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
