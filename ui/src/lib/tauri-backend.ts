// The backend inside the desktop shell: commands go through Tauri's IPC, events arrive on the
// `phone-event` channel. Features the engine does not offer yet reject with `unavailable`.
import { listen } from '@tauri-apps/api/event';
import { disable, enable, isEnabled } from '@tauri-apps/plugin-autostart';

import type { Backend } from './backend';
import type { PhoneEvent } from './bindings/PhoneEvent';
import type { CallKey } from './bindings/CallKey';
import * as commands from './commands';
import type { Report, UiError } from './pending';

/** How many calls the history screen shows (newest first). */
const CALL_LOG_PAGE = 200;

function unavailable(what: string): Promise<never> {
  const error: UiError = { code: 'unavailable', message: `${what} is not available yet.` };
  return Promise.reject(error);
}

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
  audioTest = () => unavailable('The audio test');
  trainingScenarios = commands.trainingScenarios;
  startTraining = commands.startTraining;

  autostart = () => isEnabled();
  setAutostart = (on: boolean) => (on ? enable() : disable());

  onEvent = (handler: (event: PhoneEvent) => void) =>
    listen<PhoneEvent>('phone-event', (event) => handler(event.payload));
  onDialPrefill = (handler: (target: string) => void) =>
    listen<string>('dial-prefill', (event) => handler(event.payload));
  onAudioLevels = () => Promise.resolve(() => {});
}
