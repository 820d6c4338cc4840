// One typed function per IPC command of the shell (src-tauri/src/commands.rs). Argument names are
// the Rust parameter names in camelCase, as Tauri expects.
import { invoke } from '@tauri-apps/api/core';

import type { CallKey } from './bindings/CallKey';
import type { CallLogEntry } from './bindings/CallLogEntry';
import type { CallLogFilter } from './bindings/CallLogFilter';
import type { DirectoryEntry } from './bindings/DirectoryEntry';
import type { LockState } from './bindings/LockState';
import type { Report } from './bindings/Report';
import type { ReportId } from './bindings/ReportId';
import type { SettingsView } from './bindings/SettingsView';
import type { TrainingScenario } from './bindings/TrainingScenario';

export const dial = (target: string) => invoke<CallKey>('dial', { target });
export const dialConfirmed = (target: string) => invoke<CallKey>('dial_confirmed', { target });
export const answer = (call: CallKey) => invoke<void>('answer', { call });
export const decline = (call: CallKey) => invoke<void>('decline', { call });
export const hangup = (call: CallKey) => invoke<void>('hangup', { call });
export const hold = (call: CallKey) => invoke<void>('hold', { call });
export const resume = (call: CallKey) => invoke<void>('resume', { call });
export const setMuted = (call: CallKey, muted: boolean) =>
  invoke<void>('set_muted', { call, muted });
export const sendDtmf = (call: CallKey, digits: string) =>
  invoke<void>('send_dtmf', { call, digits });
export const transfer = (call: CallKey, target: string) =>
  invoke<void>('transfer', { call, target });
export const audioTest = (on: boolean) => invoke<void>('audio_test', { on });
export const chooseDevices = (input: string | null, output: string | null) =>
  invoke<void>('choose_devices', { input, output });
export const callbackVerify = (call: CallKey) => invoke<CallKey>('callback_verify', { call });
export const trainingScenarios = () => invoke<TrainingScenario[]>('training_scenarios');
export const startTraining = (id: string) => invoke<void>('start_training', { id });
export const uiReady = () => invoke<void>('ui_ready');
export const lockState = () => invoke<LockState>('lock_state');
export const enrolPasskey = (label: string) => invoke<LockState>('enrol_passkey', { label });
export const unlock = () => invoke<LockState>('unlock');
export const lock = () => invoke<LockState>('lock');
export const callLog = (filter: CallLogFilter) => invoke<CallLogEntry[]>('call_log', { filter });
export const report = (call: CallKey, report: Report) => invoke<ReportId>('report', { call, report });
export const block = (number: string) => invoke<void>('block', { number });
export const unblock = (number: string) => invoke<void>('unblock', { number });
export const search = (query: string) => invoke<DirectoryEntry[]>('search', { query });
export const settings = () => invoke<SettingsView>('settings');

/** Every command name, checked against the shell's list by commands.test.ts. */
export const COMMAND_NAMES = [
  'dial',
  'dial_confirmed',
  'answer',
  'decline',
  'hangup',
  'hold',
  'resume',
  'set_muted',
  'send_dtmf',
  'audio_test',
  'choose_devices',
  'transfer',
  'callback_verify',
  'training_scenarios',
  'start_training',
  'ui_ready',
  'lock_state',
  'enrol_passkey',
  'unlock',
  'lock',
  'call_log',
  'report',
  'block',
  'unblock',
  'search',
  'settings',
] as const;
