// The browser preview's backend: the test backend with sample data and simulated calls, so every
// screen can be seen without the shell (`npm run dev`, or a `VITE_BACKEND=demo` build).
import type { TrustVerdict } from './bindings/TrustVerdict';
import { emptyData, TestBackend, type TestData } from './test-backend';

export const HELPDESK = { label: 'IT Helpdesk', number: '+15550100' };

export const VERDICTS = {
  verifiedColleague: {
    level: 'verified',
    attestation: 'a',
    brand: null,
    reasons: [{ code: 'directory.known', text: 'This number belongs to Dana Reyes in the company directory.' }],
    action: 'answer',
    callback: null,
  },
  fakeHelpdesk: {
    level: 'caution',
    attestation: 'c',
    brand: null,
    reasons: [
      { code: 'detector.impersonation', text: 'The caller uses the name of IT Helpdesk, but calls from a number the directory does not know.' },
      { code: 'stir.gateway', text: 'The carrier only knows where the call entered its network.' },
    ],
    action: 'verifyByCallback',
    callback: HELPDESK,
  },
  urgentBank: {
    level: 'danger',
    attestation: 'failed',
    brand: null,
    reasons: [
      { code: 'stir.signature_invalid', text: 'The call carried a signature that did not verify.' },
      { code: 'feed.reported', text: 'Your security team has flagged this number.' },
    ],
    action: 'decline',
    callback: null,
  },
} satisfies Record<string, TrustVerdict>;

function demoData(): TestData {
  const now = Date.now();
  const data = emptyData();
  data.lock = { enrolled: true, locked: false };
  data.directory = [
    { name: 'IT Helpdesk', number: HELPDESK.number, source: 'directory' },
    { name: 'Dana Reyes', number: '+15550142', source: 'directory' },
    { name: 'Sam (contractor)', number: '+442079460958', source: 'contact' },
  ];
  data.log = [
    {
      call: 'log-1', direction: 'incoming', startedAtMs: now - 3_600_000, durationSecs: 42, end: { reason: 'remoteHangup' },
      party: { number: '+15559876', displayName: 'IT Helpdesk', uri: 'tel:+15559876' },
      verdict: VERDICTS.fakeHelpdesk, reported: false, blocked: false, training: false, media: null,
    },
    {
      call: 'log-2', direction: 'incoming', startedAtMs: now - 7_200_000, durationSecs: 300, end: { reason: 'localHangup' },
      party: { number: '+15550142', displayName: 'Dana Reyes', uri: 'tel:+15550142' },
      verdict: VERDICTS.verifiedColleague, reported: false, blocked: false, training: false, media: null,
    },
    {
      call: 'log-3', direction: 'outgoing', startedAtMs: now - 86_400_000, durationSecs: 60, end: { reason: 'localHangup' },
      party: { number: '+15550100', displayName: 'IT Helpdesk', uri: 'tel:+15550100' },
      verdict: { ...VERDICTS.verifiedColleague, reasons: [] }, reported: false, blocked: false, training: false, media: null,
    },
  ];
  data.settings = {
    accounts: [],
    devices: { inputs: ['Built-in microphone', 'Headset'], outputs: ['Speakers', 'Headset'], input: 'Headset', output: 'Headset' },
    policy: [
      { key: 'Encryption', value: 'Required', managed: true },
      { key: 'Auto-lock after', value: '10 minutes', managed: true },
      { key: 'Reports go to', value: 'Security team (SIEM)', managed: true },
    ],
  };
  data.scenarios = [
    {
      id: 'fake-helpdesk', title: '“IT Helpdesk” asks for a code', caller: '+15559876', name: 'IT Helpdesk',
      verdict: VERDICTS.fakeHelpdesk,
      lesson: ['Real IT staff never ask for your one-time codes.', 'A name on the screen is typed by the caller: it proves nothing.'],
    },
    {
      id: 'urgent-bank', title: 'Your “bank” wants an urgent payment', caller: '+15557777', name: 'Your Bank',
      verdict: VERDICTS.urgentBank,
      lesson: ['Urgency is a pressure tactic.', 'Call your bank on the number printed on your card.'],
    },
    {
      id: 'colleague', title: 'A colleague calls from the directory', caller: '+15550142', name: 'Dana Reyes',
      verdict: VERDICTS.verifiedColleague,
      lesson: ['“Number verified” means the number is real, not that the request is.'],
    },
  ];
  return data;
}

export function demoBackend(): TestBackend {
  const backend = new TestBackend(demoData(), true);
  let meter: ReturnType<typeof setInterval> | undefined;
  const audioTest = backend.audioTest.bind(backend);
  backend.audioTest = async (on: boolean) => {
    await audioTest(on);
    clearInterval(meter);
    if (on) meter = setInterval(() => backend.levels({ input: Math.random() * 0.7, output: Math.random() * 0.5 }), 120);
    else backend.levels({ input: 0, output: 0 });
  };
  setTimeout(() => backend.emit({ type: 'registrationChanged', account: 'Training line', state: { state: 'registered', expiresSecs: 3600 } }), 200);
  return backend;
}
