// The Tauri backend sends each command under the shell's name with Rust's parameter names, and
// turns `phone-event` / `dial-prefill` into handler calls.
import { TauriBackend } from '../lib/tauri-backend';

const invoke = vi.hoisted(() => vi.fn(async (..._args: unknown[]) => 'k2'));
const listen = vi.hoisted(() => vi.fn(async (_name: string, _handler: (event: { payload: unknown }) => void) => () => {}));
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen }));

describe('tauri backend', () => {
  beforeEach(() => invoke.mockClear());

  it('invokes each command with the Rust parameter names', async () => {
    const b = new TauriBackend();
    await b.dial('+15550100');
    await b.answer('k1');
    await b.decline('k1');
    await b.hangup('k1');
    await b.hold('k1');
    await b.resume('k1');
    await b.setMuted('k1', true);
    await b.sendDtmf('k1', '5#');
    await b.transfer('k1', '2001');
    expect(await b.callbackVerify('k1')).toBe('k2');
    await b.trainingScenarios();
    await b.startTraining('fake-helpdesk');
    await b.uiReady();
    expect(invoke.mock.calls).toEqual([
      ['dial', { target: '+15550100' }],
      ['answer', { call: 'k1' }],
      ['decline', { call: 'k1' }],
      ['hangup', { call: 'k1' }],
      ['hold', { call: 'k1' }],
      ['resume', { call: 'k1' }],
      ['set_muted', { call: 'k1', muted: true }],
      ['send_dtmf', { call: 'k1', digits: '5#' }],
      ['transfer', { call: 'k1', target: '2001' }],
      ['callback_verify', { call: 'k1' }],
      ['training_scenarios'],
      ['start_training', { id: 'fake-helpdesk' }],
      ['ui_ready'],
    ]);
  });

  it('forwards events from the phone-event channel', async () => {
    const seen: unknown[] = [];
    await new TauriBackend().onEvent((event) => seen.push(event));
    const [name, handler] = listen.mock.calls.at(-1)!;
    expect(name).toBe('phone-event');
    handler({ payload: { type: 'answered', call: 'k1' } });
    expect(seen).toEqual([{ type: 'answered', call: 'k1' }]);
  });

  it('invokes the vault commands with the Rust parameter names', async () => {
    const b = new TauriBackend();
    await b.lockState();
    await b.enrolPasskey('This computer');
    await b.unlock();
    await b.lock();
    await b.callLog();
    await b.report('k1', { tags: ['askedForCode'], note: null });
    await b.block('+15550100');
    await b.search('help');
    await b.settings();
    expect(invoke.mock.calls).toEqual([
      ['lock_state'],
      ['enrol_passkey', { label: 'This computer' }],
      ['unlock'],
      ['lock'],
      ['call_log', { filter: { direction: null, minLevel: null, limit: 200 } }],
      ['report', { call: 'k1', report: { tags: ['askedForCode'], note: null } }],
      ['block', { number: '+15550100' }],
      ['search', { query: 'help' }],
      ['settings'],
    ]);
  });

  it('runs the audio test and passes only its levels to the meters', async () => {
    const b = new TauriBackend();
    await b.audioTest(true);
    await b.audioTest(false);
    await b.chooseDevices('Headset', null);
    expect(invoke.mock.calls).toEqual([
      ['audio_test', { on: true }],
      ['audio_test', { on: false }],
      ['choose_devices', { input: 'Headset', output: null }],
    ]);
    const levels: unknown[] = [];
    await b.onAudioLevels((l) => levels.push(l));
    const [name, handler] = listen.mock.calls.at(-1)!;
    expect(name).toBe('phone-event');
    handler({ payload: { type: 'answered', call: 'k1' } });
    handler({ payload: { type: 'audioLevels', input: 0.5, output: 0.25 } });
    expect(levels).toEqual([{ input: 0.5, output: 0.25 }]);
  });
});
