// The calls the UI shows, as a pure function of PhoneEvents: `apply(state, event)`.
import type { CallKey } from './bindings/CallKey';
import type { EndReason } from './bindings/EndReason';
import type { LockState } from './bindings/LockState';
import type { MediaSecurity } from './bindings/MediaSecurity';
import type { Party } from './bindings/Party';
import type { PhoneEvent } from './bindings/PhoneEvent';
import type { Quality } from './bindings/Quality';
import type { QualityAlert } from './bindings/QualityAlert';
import type { RegistrationState } from './bindings/RegistrationState';
import type { TrustVerdict } from './bindings/TrustVerdict';

export type CallStatus = 'ringing' | 'dialling' | 'remoteRinging' | 'connected' | 'held' | 'ended';

export type CallView = {
  call: CallKey;
  direction: 'incoming' | 'outgoing';
  party: Party;
  verdict: TrustVerdict | null;
  training: boolean;
  status: CallStatus;
  heldByRemote: boolean;
  muted: boolean;
  security: MediaSecurity | null;
  quality: Quality | null;
  alerts: QualityAlert[];
  end: EndReason | null;
};

/** A call refused without ringing (user or organisation block list), newest last. */
export type BlockedCall = { caller: Party; verdict: TrustVerdict };

/** How many blocked calls the state keeps (the vault's call log keeps them all). */
export const BLOCKED_KEPT = 20;

export type PhoneState = {
  account: string | null;
  registration: RegistrationState | null;
  calls: CallView[];
  blocked: BlockedCall[];
  deviceError: string | null;
  /** The passkey lock, once the engine has said (null: not known yet). */
  lock: LockState | null;
};

export const initialState: PhoneState = {
  account: null,
  registration: null,
  calls: [],
  blocked: [],
  deviceError: null,
  lock: null,
};

function newCall(call: CallKey, direction: CallView['direction'], party: Party): CallView {
  return {
    call,
    direction,
    party,
    verdict: null,
    training: false,
    status: direction === 'incoming' ? 'ringing' : 'dialling',
    heldByRemote: false,
    muted: false,
    security: null,
    quality: null,
    alerts: [],
    end: null,
  };
}

function update(state: PhoneState, call: CallKey, change: (c: CallView) => Partial<CallView>): PhoneState {
  return {
    ...state,
    calls: state.calls.map((c) => (c.call === call ? { ...c, ...change(c) } : c)),
  };
}

export function apply(state: PhoneState, event: PhoneEvent): PhoneState {
  switch (event.type) {
    case 'registrationChanged':
      return { ...state, account: event.account, registration: event.state };
    case 'incomingCall': {
      const call = { ...newCall(event.call, 'incoming', event.caller), verdict: event.verdict, training: event.training };
      return { ...state, calls: [...state.calls.filter((c) => c.call !== event.call), call] };
    }
    case 'outgoingCall':
      return { ...state, calls: [...state.calls.filter((c) => c.call !== event.call), newCall(event.call, 'outgoing', event.callee)] };
    case 'callBlocked':
      return { ...state, blocked: [...state.blocked, { caller: event.caller, verdict: event.verdict }].slice(-BLOCKED_KEPT) };
    case 'trustUpdated':
      return update(state, event.call, () => ({ verdict: event.verdict }));
    case 'remoteRinging':
      return update(state, event.call, () => ({ status: 'remoteRinging' }));
    case 'answered':
      return update(state, event.call, () => ({ status: 'connected' }));
    case 'mediaSecured':
      return update(state, event.call, () => ({ security: event.security }));
    case 'held':
      return update(state, event.call, () => ({ status: 'held', heldByRemote: event.byRemote }));
    case 'resumed':
      return update(state, event.call, () => ({ status: 'connected', heldByRemote: false }));
    case 'muteChanged':
      return update(state, event.call, () => ({ muted: event.muted }));
    case 'qualityUpdated':
      return update(state, event.call, () => ({ quality: event.quality }));
    case 'qualityAlerted':
      return update(state, event.call, (c) => ({
        alerts: c.alerts.includes(event.alert) ? c.alerts : [...c.alerts, event.alert],
      }));
    case 'dtmfReceived':
    case 'mediaSummary':
    case 'audioLevels': // for the meters (Backend.onAudioLevels), not for any call
      return state;
    case 'ended':
      return update(state, event.call, () => ({ status: 'ended', end: event.reason }));
    case 'deviceFailed':
      return { ...state, deviceError: event.text };
    case 'lockChanged':
      return { ...state, lock: event.state };
  }
}

/** The call that rings, if any (the newest). */
export function ringing(state: PhoneState): CallView | undefined {
  return state.calls.findLast((c) => c.status === 'ringing');
}

/** The call in progress (not ringing in, not ended), if any. */
export function current(state: PhoneState): CallView | undefined {
  return state.calls.findLast((c) => c.status !== 'ringing' && c.status !== 'ended');
}

/** Forgets ended calls (once the user has seen how they ended). */
export function dismiss(state: PhoneState, call: CallKey): PhoneState {
  return { ...state, calls: state.calls.filter((c) => c.call !== call) };
}
