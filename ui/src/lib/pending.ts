// View types the UI needs that the engine does not export yet (requested in
// notes/app-needs.md). When the engine adds them to api.rs they move to ./bindings and this file
// shrinks; the shapes here follow that request.
import type { ApiError } from './bindings/ApiError';
import type { CallKey } from './bindings/CallKey';
import type { Direction } from './bindings/Direction';
import type { EndReason } from './bindings/EndReason';
import type { Party } from './bindings/Party';
import type { RegistrationState } from './bindings/RegistrationState';
import type { TrustVerdict } from './bindings/TrustVerdict';

export type LockState = { enrolled: boolean; locked: boolean };

export type CallLogEntry = {
  call: CallKey;
  party: Party;
  direction: Direction;
  startedAtMs: number;
  durationSecs: number | null;
  verdict: TrustVerdict;
  end: EndReason | null;
  reported: boolean;
  blocked: boolean;
};

export type ReportTag = 'askedForCode' | 'urgentPayment' | 'claimedToBeIt';

export type Report = { tags: ReportTag[]; note: string | null };

export type DirectoryEntry = { name: string; number: string; source: 'contact' | 'directory' };

export type PolicyItem = { key: string; value: string; managed: boolean };

export type SettingsView = {
  accounts: { label: string; registration: RegistrationState }[];
  devices: { inputs: string[]; outputs: string[]; input: string; output: string };
  policy: PolicyItem[];
};

export type { TrainingScenario } from './bindings/TrainingScenario';

export type AudioLevels = { input: number; output: number };

/** An error at the IPC edge: the engine's codes, plus `unavailable` for a feature the running
 * engine does not offer yet. */
export type UiError = ApiError | { code: 'unavailable'; message: string };

export function isUiError(value: unknown): value is UiError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
