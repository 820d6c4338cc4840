import { BLOCKED_KEPT, apply, current, dismiss, initialState, ringing } from '../lib/calls';
import type { PhoneEvent } from '../lib/bindings/PhoneEvent';
import { incoming, verdict } from './helpers';

const fold = (...events: PhoneEvent[]) => events.reduce(apply, initialState);

describe('calls state', () => {
  it('follows an incoming call from ringing to ended', () => {
    let state = fold(incoming('c1', verdict({ level: 'verifying' })));
    expect(ringing(state)?.call).toBe('c1');
    expect(current(state)).toBeUndefined();
    state = apply(state, { type: 'trustUpdated', call: 'c1', verdict: verdict({ level: 'caution' }) });
    expect(ringing(state)?.verdict?.level).toBe('caution');
    state = apply(state, { type: 'answered', call: 'c1' });
    expect(ringing(state)).toBeUndefined();
    expect(current(state)?.status).toBe('connected');
    state = apply(state, { type: 'ended', call: 'c1', reason: { reason: 'remoteHangup' } });
    expect(current(state)).toBeUndefined();
    expect(state.calls[0]?.end).toEqual({ reason: 'remoteHangup' });
    expect(dismiss(state, 'c1').calls).toEqual([]);
  });

  it('keeps quality alerts unique and remembers registration', () => {
    const state = fold(
      { type: 'registrationChanged', account: 'sip:1001@example.com', state: { state: 'registering' } },
      { type: 'outgoingCall', call: 'o1', callee: { number: null, displayName: null, uri: 'sip:1002@example.com' } },
      { type: 'qualityAlerted', call: 'o1', alert: 'jitter' },
      { type: 'qualityAlerted', call: 'o1', alert: 'jitter' },
      { type: 'deviceFailed', text: 'The headset was unplugged.' },
    );
    expect(state.registration).toEqual({ state: 'registering' });
    expect(state.calls[0]?.alerts).toEqual(['jitter']);
    expect(state.calls[0]?.status).toBe('dialling');
    expect(state.deviceError).toBe('The headset was unplugged.');
  });

  it('ignores events for unknown calls', () => {
    const state = fold({ type: 'answered', call: 'nope' });
    expect(state.calls).toEqual([]);
  });

  it('keeps blocked calls out of the ringing list, newest last and bounded', () => {
    const caller = { number: '+16465550555', displayName: null, uri: 'sip:+16465550555@example.com' };
    const blockedEvent: PhoneEvent = { type: 'callBlocked', caller, verdict: verdict({ level: 'blocked' }) };
    const state = fold(...Array.from({ length: BLOCKED_KEPT + 3 }, () => blockedEvent));
    expect(ringing(state)).toBeUndefined();
    expect(state.blocked).toHaveLength(BLOCKED_KEPT);
    expect(state.blocked.at(-1)?.verdict.level).toBe('blocked');
  });
});
