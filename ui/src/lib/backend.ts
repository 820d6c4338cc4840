// The one seam between the UI and Rust. `TauriBackend` talks to the shell; `TestBackend` is an
// in-memory, scriptable stand-in for unit tests and the browser preview.
import type { CallKey } from './bindings/CallKey';
import type { PhoneEvent } from './bindings/PhoneEvent';
import type {
  AudioLevels,
  CallLogEntry,
  DirectoryEntry,
  LockState,
  Report,
  SettingsView,
  TrainingScenario,
} from './pending';

export type Unlisten = () => void;

export interface Backend {
  // The engine's Phone.
  dial(target: string): Promise<CallKey>;
  /** Dials after the user confirmed the outbound guard's warning. */
  dialConfirmed(target: string): Promise<CallKey>;
  answer(call: CallKey): Promise<void>;
  decline(call: CallKey): Promise<void>;
  hangup(call: CallKey): Promise<void>;
  hold(call: CallKey): Promise<void>;
  resume(call: CallKey): Promise<void>;
  setMuted(call: CallKey, muted: boolean): Promise<void>;
  sendDtmf(call: CallKey, digits: string): Promise<void>;
  transfer(call: CallKey, target: string): Promise<void>;
  callbackVerify(call: CallKey): Promise<CallKey>;
  // Vault, log, reports and settings (see pending.ts).
  lockState(): Promise<LockState>;
  enrolPasskey(label: string): Promise<void>;
  unlock(): Promise<void>;
  lock(): Promise<void>;
  callLog(): Promise<CallLogEntry[]>;
  report(call: CallKey, report: Report): Promise<void>;
  block(number: string): Promise<void>;
  search(query: string): Promise<DirectoryEntry[]>;
  settings(): Promise<SettingsView>;
  audioTest(on: boolean): Promise<void>;
  /** Microphone and speaker by name; `null` follows the system default. */
  chooseDevices(input: string | null, output: string | null): Promise<void>;
  trainingScenarios(): Promise<TrainingScenario[]>;
  startTraining(id: string): Promise<void>;
  autostart(): Promise<boolean>;
  setAutostart(on: boolean): Promise<void>;
  // The shell.
  uiReady(): Promise<void>;
  onEvent(handler: (event: PhoneEvent) => void): Promise<Unlisten>;
  onDialPrefill(handler: (target: string) => void): Promise<Unlisten>;
  onAudioLevels(handler: (levels: AudioLevels) => void): Promise<Unlisten>;
}
