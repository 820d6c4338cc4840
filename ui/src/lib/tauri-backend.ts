// The backend inside the desktop shell: commands go through Tauri's IPC, events arrive on the
// `phone-event` channel.
import { listen } from '@tauri-apps/api/event';
import { disable, enable, isEnabled } from '@tauri-apps/plugin-autostart';

import type { Backend } from './backend';
import type { PhoneEvent } from './bindings/PhoneEvent';
import type { CallKey } from './bindings/CallKey';
import * as commands from './commands';
import type { AudioLevels, Report } from './pending';

/** How many calls the history screen shows (newest first). */
const CALL_LOG_PAGE = 200;

export class TauriBackend implements Backend {
  dial = commands.dial;
  dialConfirmed = commands.dialConfirmed;
  answer = commands.answer;
  decline = commands.decline;
  hangup = commands.hangup;
  hold = commands.hold;
  resume = commands.resume;
  setMuted = commands.setMuted;
  sendDtmf = commands.sendDtmf;
  transfer = commands.transfer;
  callbackVerify = commands.callbackVerify;
  uiReady = commands.uiReady;

  lockState = commands.lockState;
  enrolPasskey = async (label: string) => void (await commands.enrolPasskey(label));
  unlock = async () => void (await commands.unlock());
  lock = async () => void (await commands.lock());
  callLog = () => commands.callLog({ direction: null, minLevel: null, limit: CALL_LOG_PAGE });
  report = async (call: CallKey, report: Report) => void (await commands.report(call, report));
  block = commands.block;
  search = commands.search;
  settings = commands.settings;
  audioTest = commands.audioTest;
  chooseDevices = commands.chooseDevices;
  trainingScenarios = commands.trainingScenarios;
  startTraining = commands.startTraining;

  autostart = () => isEnabled();
  setAutostart = (on: boolean) => (on ? enable() : disable());

  onEvent = (handler: (event: PhoneEvent) => void) =>
    listen<PhoneEvent>('phone-event', (event) => handler(event.payload));
  onDialPrefill = (handler: (target: string) => void) =>
    listen<string>('dial-prefill', (event) => handler(event.payload));
  onAudioLevels = (handler: (levels: AudioLevels) => void) =>
    listen<PhoneEvent>('phone-event', ({ payload }) => {
      if (payload.type === 'audioLevels') handler({ input: payload.input, output: payload.output });
    });
}
