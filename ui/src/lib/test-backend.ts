// An in-memory backend for unit tests and the browser preview: it records every command, lets a
// test emit any PhoneEvent, and (with `simulate`) answers commands the way the engine would.
import type { Backend, Unlisten } from './backend';
import type { CallKey } from './bindings/CallKey';
import type { PhoneEvent } from './bindings/PhoneEvent';
import type { TrustVerdict } from './bindings/TrustVerdict';
import type {
  AudioLevels,
  CallLogEntry,
  DirectoryEntry,
  LockState,
  Report,
  SettingsView,
  TrainingScenario,
  UiError,
} from './pending';

export type Recorded = { command: string; args: unknown[] };

export type TestData = {
  lock: LockState;
  log: CallLogEntry[];
  directory: DirectoryEntry[];
  settings: SettingsView;
  scenarios: (TrainingScenario & { caller: string; name: string | null; verdict: TrustVerdict })[];
  autostart: boolean;
};

export function emptyData(): TestData {
  return {
    lock: { enrolled: true, locked: false },
    log: [],
    directory: [],
    settings: {
      accounts: [],
      devices: { inputs: ['Default'], outputs: ['Default'], input: 'Default', output: 'Default' },
      policy: [],
    },
    scenarios: [],
    autostart: false,
  };
}

export class TestBackend implements Backend {
  readonly recorded: Recorded[] = [];
  readonly reports: { call: CallKey; report: Report }[] = [];
  private handlers = new Set<(event: PhoneEvent) => void>();
  private prefillHandlers = new Set<(target: string) => void>();
  private levelHandlers = new Set<(levels: AudioLevels) => void>();
  private nextKey = 1;
  private failures = new Map<string, UiError>();

  constructor(
    readonly data: TestData = emptyData(),
    private readonly simulate = false,
  ) {}

  /** Delivers an event to the UI, as the shell would. */
  emit(event: PhoneEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  /** Delivers a tel:/sip: link target to the dialler. */
  prefill(target: string): void {
    for (const handler of this.prefillHandlers) handler(target);
  }

  levels(levels: AudioLevels): void {
    for (const handler of this.levelHandlers) handler(levels);
  }

  /** Makes the next call of `command` fail with `error`. */
  failNext(command: string, error: UiError): void {
    this.failures.set(command, error);
  }

  /** The recorded commands with this name. */
  commands(name: string): unknown[][] {
    return this.recorded.filter((r) => r.command === name).map((r) => r.args);
  }

  private async record(command: string, ...args: unknown[]): Promise<void> {
    this.recorded.push({ command, args });
    const failure = this.failures.get(command);
    if (failure) {
      this.failures.delete(command);
      throw failure;
    }
  }

  private key(): CallKey {
    return `call-${this.nextKey++}`;
  }

  private later(event: PhoneEvent, ms = 30): void {
    if (this.simulate) setTimeout(() => this.emit(event), ms);
  }

  async dial(target: string): Promise<CallKey> {
    await this.record('dial', target);
    return this.placeCall(target);
  }
  async dialConfirmed(target: string): Promise<CallKey> {
    await this.record('dialConfirmed', target);
    return this.placeCall(target);
  }
  private placeCall(target: string): CallKey {
    const call = this.key();
    this.later({ type: 'outgoingCall', call, callee: { number: target, displayName: null, uri: `tel:${target}` } }, 0);
    this.later({ type: 'remoteRinging', call }, 200);
    this.later({ type: 'answered', call }, 900);
    this.later({ type: 'mediaSecured', call, security: { kind: 'sdes', suite: 'AEAD_AES_256_GCM' } }, 950);
    this.later({ type: 'qualityUpdated', call, quality: { lossPercent: 0.2, jitterMs: 4, rttMs: 38, mos: 4.3 } }, 1200);
    return call;
  }
  async answer(call: CallKey) {
    await this.record('answer', call);
    this.later({ type: 'answered', call });
    this.later({ type: 'mediaSecured', call, security: { kind: 'sdes', suite: 'AEAD_AES_256_GCM' } }, 60);
  }
  async decline(call: CallKey) {
    await this.record('decline', call);
    this.later({ type: 'ended', call, reason: { reason: 'declined' } });
  }
  async hangup(call: CallKey) {
    await this.record('hangup', call);
    this.later({ type: 'ended', call, reason: { reason: 'localHangup' } });
  }
  async hold(call: CallKey) {
    await this.record('hold', call);
    this.later({ type: 'held', call, byRemote: false });
  }
  async resume(call: CallKey) {
    await this.record('resume', call);
    this.later({ type: 'resumed', call });
  }
  async setMuted(call: CallKey, muted: boolean) {
    await this.record('setMuted', call, muted);
    this.later({ type: 'muteChanged', call, muted });
  }
  async sendDtmf(call: CallKey, digits: string) {
    await this.record('sendDtmf', call, digits);
  }
  async transfer(call: CallKey, target: string) {
    await this.record('transfer', call, target);
    this.later({ type: 'ended', call, reason: { reason: 'transferred' } });
  }
  async callbackVerify(call: CallKey): Promise<CallKey> {
    await this.record('callbackVerify', call);
    const next = this.key();
    this.later({ type: 'ended', call, reason: { reason: 'callbackVerification' } }, 0);
    this.later({ type: 'outgoingCall', call: next, callee: { number: '+15550100', displayName: 'IT Helpdesk', uri: 'tel:+15550100' } }, 10);
    this.later({ type: 'remoteRinging', call: next }, 200);
    return next;
  }

  async lockState() {
    await this.record('lockState');
    return { ...this.data.lock };
  }
  async enrolPasskey(label: string) {
    await this.record('enrolPasskey', label);
    this.data.lock = { enrolled: true, locked: false };
  }
  async unlock() {
    await this.record('unlock');
    this.data.lock = { ...this.data.lock, locked: false };
  }
  async lock() {
    await this.record('lock');
    this.data.lock = { ...this.data.lock, locked: true };
  }
  async callLog() {
    await this.record('callLog');
    return this.data.log.map((entry) => ({ ...entry }));
  }
  async report(call: CallKey, report: Report) {
    await this.record('report', call, report);
    this.reports.push({ call, report });
    for (const entry of this.data.log) if (entry.call === call) entry.reported = true;
  }
  async block(number: string) {
    await this.record('block', number);
    for (const entry of this.data.log) if (entry.party.number === number) entry.blocked = true;
  }
  async search(query: string) {
    await this.record('search', query);
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return this.data.directory.filter(
      (e) => e.name.toLowerCase().includes(q) || e.number.replace(/\D/g, '').includes(q.replace(/\D/g, '') || '\u0000'),
    );
  }
  async settings() {
    await this.record('settings');
    return structuredClone(this.data.settings);
  }
  async chooseDevices(input: string | null, output: string | null) {
    await this.record('chooseDevices', input, output);
    if (input !== null) this.data.settings.devices.input = input;
    if (output !== null) this.data.settings.devices.output = output;
  }

  async audioTest(on: boolean) {
    await this.record('audioTest', on);
  }
  async trainingScenarios() {
    await this.record('trainingScenarios');
    return this.data.scenarios.map(({ id, title, lesson }) => ({ id, title, lesson }));
  }
  async startTraining(id: string) {
    await this.record('startTraining', id);
    const scenario = this.data.scenarios.find((s) => s.id === id);
    if (!scenario) throw { code: 'invalidTarget', message: 'No such training call.' } satisfies UiError;
    const call = this.key();
    const caller = { number: scenario.caller, displayName: scenario.name, uri: `tel:${scenario.caller}` };
    this.later({ type: 'incomingCall', call, caller, verdict: scenario.verdict, training: true }, 300);
  }
  async autostart() {
    await this.record('autostart');
    return this.data.autostart;
  }
  async setAutostart(on: boolean) {
    await this.record('setAutostart', on);
    this.data.autostart = on;
  }

  async uiReady() {
    await this.record('uiReady');
  }
  async onEvent(handler: (event: PhoneEvent) => void): Promise<Unlisten> {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  async onDialPrefill(handler: (target: string) => void): Promise<Unlisten> {
    this.prefillHandlers.add(handler);
    return () => this.prefillHandlers.delete(handler);
  }
  async onAudioLevels(handler: (levels: AudioLevels) => void): Promise<Unlisten> {
    this.levelHandlers.add(handler);
    return () => this.levelHandlers.delete(handler);
  }
}
