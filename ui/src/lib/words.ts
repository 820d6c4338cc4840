// Plain words for everything the engine reports. Badges always pair these words with an icon, so
// nothing relies on colour. "Number verified" never means "the caller is safe" (DESIGN.md §5);
// the shell's notice uses the same words (src-tauri/src/notice.rs).
import type { Attestation } from './bindings/Attestation';
import type { EndReason } from './bindings/EndReason';
import type { MediaSecurity } from './bindings/MediaSecurity';
import type { QualityAlert } from './bindings/QualityAlert';
import type { RecommendedAction } from './bindings/RecommendedAction';
import type { RegistrationState } from './bindings/RegistrationState';
import type { TrustLevel } from './bindings/TrustLevel';

/** A level's words, its icon (text glyph, hidden from screen readers) and a one-line hint. */
export const LEVEL: Record<TrustLevel, { words: string; icon: string; hint: string }> = {
  verifying: { words: 'Checking the caller…', icon: '◌', hint: 'The check finishes in a moment.' },
  verified: {
    words: 'Number verified',
    icon: '✓',
    hint: 'The number is verified. That does not prove who is speaking.',
  },
  neutral: {
    words: 'No warning signs',
    icon: '○',
    hint: 'Most calls look like this. Never share codes or passwords on a call.',
  },
  caution: { words: 'Caution', icon: '!', hint: 'Something about this call does not add up.' },
  danger: { words: 'Likely scam', icon: '⚠', hint: 'Strong signs of a scam. Do not answer.' },
  blocked: { words: 'Blocked', icon: '⊘', hint: 'You or your organisation blocked this number.' },
};

/** The STIR/SHAKEN attestation in plain words, with its letter where there is one. */
export const ATTESTATION: Record<Attestation, { words: string; icon: string }> = {
  a: { words: 'Number verified (A)', icon: '✓' },
  b: { words: 'Caller known, number not verified (B)', icon: '◐' },
  c: { words: 'Number not verified (C)', icon: '○' },
  none: { words: 'No verification', icon: '○' },
  failed: { words: 'Verification failed', icon: '✕' },
};

export const ACTION: Record<RecommendedAction, string> = {
  answer: 'Nothing stands out.',
  answerWithCaution: 'Answer with care: never share codes, passwords or payments.',
  verifyByCallback: 'Hang up and call back on the directory number.',
  decline: 'Do not answer.',
  block: 'Block this number.',
};

export function registrationWords(state: RegistrationState | null): string {
  if (!state) return 'Starting…';
  switch (state.state) {
    case 'unregistered':
      return 'Not connected';
    case 'registering':
      return 'Connecting…';
    case 'registered':
      return 'Ready for calls';
    case 'failed':
      return `Cannot connect: ${state.reason}`;
  }
}

export function endWords(reason: EndReason): string {
  switch (reason.reason) {
    case 'localHangup':
      return 'You hung up.';
    case 'remoteHangup':
      return 'The other side hung up.';
    case 'declined':
      return 'Declined.';
    case 'busy':
      return 'The line was busy.';
    case 'cancelled':
      return 'The caller gave up.';
    case 'callbackVerification':
      return 'Ended to call back on the directory number.';
    case 'transferred':
      return 'Transferred.';
    case 'failed':
      return reason.text;
  }
}

export function securityWords(security: MediaSecurity | null): string {
  if (!security) return 'Securing audio…';
  return security.kind === 'unencrypted' ? 'Audio not encrypted' : 'Audio encrypted';
}

export const ALERT: Record<QualityAlert, string> = {
  loss: 'Audio is dropping (packet loss above 2 %).',
  jitter: 'Audio is uneven (jitter above 30 ms).',
  latency: 'Delay on the line (above 150 ms).',
  mos: 'Call quality is poor.',
};
