import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';

import IncomingCall from '../components/IncomingCall.svelte';
import type { Attestation } from '../lib/bindings/Attestation';
import type { TrustLevel } from '../lib/bindings/TrustLevel';
import { ringing } from '../lib/calls';
import { emit, incoming, renderWith, setup, verdict } from './helpers';

async function ring(v = verdict(), name: string | null = null) {
  const { backend, phone } = await setup();
  emit(backend, incoming('c1', v, name));
  const call = ringing(phone.state)!;
  const view = renderWith(IncomingCall, phone, { call });
  return { backend, phone, view };
}

const ATTESTATION_WORDS: [Attestation, string][] = [
  ['a', 'Number verified (A)'],
  ['b', 'Caller known, number not verified (B)'],
  ['c', 'Number not verified (C)'],
  ['none', 'No verification'],
  ['failed', 'Verification failed'],
];

const LEVEL_WORDS: [TrustLevel, string][] = [
  ['verifying', 'Checking the caller…'],
  ['verified', 'Number verified'],
  ['neutral', 'No warning signs'],
  ['caution', 'Caution'],
  ['danger', 'Likely scam'],
  ['blocked', 'Blocked'],
];

describe('incoming call', () => {
  it.each(ATTESTATION_WORDS)('shows attestation %s in plain words', async (attestation, words) => {
    await ring(verdict({ attestation }));
    expect(screen.getByText(words)).toBeInTheDocument();
  });

  it.each(LEVEL_WORDS)('shows level %s in plain words with an icon', async (level, words) => {
    const { view } = await ring(verdict({ level }));
    const badge = view.container.querySelector('.badge.level')!;
    expect(badge).toHaveTextContent(words);
    expect(badge.querySelector('.icon[aria-hidden="true"]')?.textContent?.trim()).not.toBe('');
  });

  it('never calls a caller safe', async () => {
    for (const [level] of LEVEL_WORDS) {
      for (const [attestation] of ATTESTATION_WORDS) {
        const { view } = await ring(verdict({ level, attestation }));
        expect(view.container.textContent?.toLowerCase()).not.toMatch(/\bsafe\b/);
        view.unmount();
      }
    }
  });

  it('marks a presented name as unverified and shows a brand only when the verdict carries one', async () => {
    const first = await ring(verdict(), 'IT Helpdesk');
    expect(screen.getByText('Name given by the caller, not verified')).toBeInTheDocument();
    expect(screen.queryByText('Verified brand')).toBeNull();
    first.view.unmount();

    const brand = { name: 'Acme Bank', logo: null, callReason: 'Card delivery' };
    await ring(verdict({ level: 'verified', attestation: 'a', brand }), 'Whatever');
    expect(screen.getByText('Verified brand')).toBeInTheDocument();
    expect(screen.getByText(/Acme Bank/)).toBeInTheDocument();
    expect(screen.getByText('Reason: Card delivery')).toBeInTheDocument();
  });

  it('lists the risk reasons', async () => {
    const reasons = [
      { code: 'detector.neighbour_spoof', text: 'The number looks like yours.' },
      { code: 'detector.one_ring', text: 'This range is used for one-ring scams.' },
    ];
    await ring(verdict({ level: 'caution', reasons }));
    const list = screen.getByRole('list', { name: 'Why' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(reasons.map((r) => r.text));
  });

  it('on a caution verdict offers the callback and one click calls callback_verify', async () => {
    const callback = { label: 'IT Helpdesk', number: '+15550100' };
    const { backend } = await ring(
      verdict({ level: 'caution', action: 'verifyByCallback', callback, attestation: 'c' }),
      'IT Helpdesk',
    );
    expect(screen.getByRole('heading', { name: /Verify by calling back/ })).toBeInTheDocument();
    expect(screen.getByText('+15550100')).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Hang up and call IT Helpdesk' });
    expect(button).toHaveFocus();
    await userEvent.click(button);
    expect(backend.commands('callbackVerify')).toEqual([['c1']]);
    expect(backend.commands('dial')).toEqual([]);
  });

  it('answers with Alt+A and declines with Alt+D', async () => {
    const { backend } = await ring();
    expect(screen.getByRole('button', { name: /Answer/ })).toHaveAttribute('aria-keyshortcuts', 'Alt+A');
    await userEvent.keyboard('{Alt>}a{/Alt}');
    expect(backend.commands('answer')).toEqual([['c1']]);
    await userEvent.keyboard('{Alt>}d{/Alt}');
    expect(backend.commands('decline')).toEqual([['c1']]);
  });

  it('is operable with Tab and Enter, starting on Answer for a neutral call', async () => {
    const { backend } = await ring();
    expect(screen.getByRole('button', { name: /Answer/ })).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByRole('button', { name: /Decline/ })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(backend.commands('decline')).toEqual([['c1']]);
  });

  it('puts the focus on Decline when the verdict is danger', async () => {
    await ring(verdict({ level: 'danger', action: 'decline', attestation: 'failed' }));
    expect(screen.getByRole('button', { name: /Decline/ })).toHaveFocus();
    expect(screen.getByText(/A familiar voice is not proof of identity/)).toBeInTheDocument();
  });

  it('blocks the number and declines the call', async () => {
    const { backend } = await ring();
    await userEvent.click(screen.getByRole('button', { name: /Block number/ }));
    expect(backend.commands('block')).toEqual([['+15559876']]);
    expect(backend.commands('decline')).toEqual([['c1']]);
  });

  it('keeps the same badge layout from verifying to verified', async () => {
    const { backend, phone, view } = await ring(verdict({ level: 'verifying' }));
    const before = [...view.container.querySelectorAll('.verdict .badge')].map((b) => b.className);
    emit(backend, { type: 'trustUpdated', call: 'c1', verdict: verdict({ level: 'verified', attestation: 'a' }) });
    await view.rerender({ call: ringing(phone.state)! });
    flushSync();
    const after = [...view.container.querySelectorAll('.verdict .badge')].map((b) => b.className.replace(' placeholder', ''));
    expect(after).toEqual(before.map((c) => c.replace(' placeholder', '')));
    expect(screen.getByText('Number verified (A)')).toBeInTheDocument();
  });
});
