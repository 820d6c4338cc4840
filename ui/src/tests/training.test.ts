// The training screen lists the training line's calls, starts one, and shows the lesson itself
// when the engine blocked the call without ringing (no call screen appears for it).
import { screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

import Training from '../components/Training.svelte';
import type { TrustVerdict } from '../lib/bindings/TrustVerdict';
import { emptyData, TestBackend } from '../lib/test-backend';
import { emit, renderWith, setup, verdict } from './helpers';

const BLOCKED: TrustVerdict = verdict({
  level: 'blocked',
  action: 'block',
  reasons: [{ code: 'reputation.user_blocked', text: 'You blocked this number.' }],
});

async function training() {
  const data = emptyData();
  data.scenarios = [
    { id: 'blocked-number', title: 'A number you blocked calls again', caller: '+13055550147', name: null, verdict: BLOCKED, lesson: ['Blocked calls still show in the call log.'] },
  ];
  const { backend, phone } = await setup(new TestBackend(data));
  const started: string[] = [];
  renderWith(Training, phone, { onstart: (s: { id: string }) => started.push(s.id) });
  return { backend, started };
}

const blockedEvent = {
  type: 'callBlocked',
  caller: { number: '+13055550147', displayName: null, uri: 'sip:+13055550147@127.0.0.1' },
  verdict: BLOCKED,
} as const;

describe('training', () => {
  it('starts a scripted call and shows the lesson when the call is blocked without ringing', async () => {
    const { backend, started } = await training();
    await userEvent.click(await screen.findByRole('button', { name: 'Start A number you blocked calls again' }));
    expect(backend.commands('startTraining')).toEqual([['blocked-number']]);
    expect(started).toEqual(['blocked-number']);
    emit(backend, blockedEvent);
    expect(screen.getByRole('heading', { name: /Blocked without ringing/ })).toBeInTheDocument();
    expect(screen.getByText('You blocked this number.')).toBeInTheDocument();
    expect(screen.getByText('Blocked calls still show in the call log.')).toBeInTheDocument();
  });

  it('shows no lesson for a call blocked before any training call started', async () => {
    const { backend } = await training();
    await screen.findByRole('button', { name: 'Start A number you blocked calls again' });
    emit(backend, blockedEvent);
    expect(screen.queryByRole('heading', { name: /Blocked without ringing/ })).not.toBeInTheDocument();
  });
});
