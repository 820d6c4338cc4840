import { screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

import ActiveCall from '../components/ActiveCall.svelte';
import { current } from '../lib/calls';
import { emit, renderWith, setup } from './helpers';

async function connected() {
  const { backend, phone } = await setup();
  emit(
    backend,
    { type: 'outgoingCall', call: 'o1', callee: { number: '+15550100', displayName: null, uri: 'tel:+15550100' } },
    { type: 'answered', call: 'o1' },
    { type: 'mediaSecured', call: 'o1', security: { kind: 'sdes', suite: 'AEAD_AES_256_GCM' } },
    { type: 'qualityUpdated', call: 'o1', quality: { lossPercent: 3.2, jitterMs: 41, rttMs: 120, mos: 3.1 } },
    { type: 'qualityAlerted', call: 'o1', alert: 'loss' },
  );
  const view = renderWith(ActiveCall, phone, { call: current(phone.state)!, onreport: () => {} });
  return { backend, phone, view };
}

describe('active call', () => {
  it('shows encryption and quality in words, with details on request', async () => {
    await connected();
    expect(screen.getByText('Audio encrypted')).toBeInTheDocument();
    const quality = screen.getByRole('button', { name: /Quality: Poor/ });
    expect(quality).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(quality);
    expect(screen.getByText('3.2 %')).toBeInTheDocument();
    expect(screen.getByText('41 ms')).toBeInTheDocument();
    expect(screen.getByText('3.1')).toBeInTheDocument();
    expect(screen.getByText(/packet loss above 2 %/)).toBeInTheDocument();
  });

  it('mutes, holds, sends tones and transfers', async () => {
    const { backend } = await connected();
    await userEvent.click(screen.getByRole('button', { name: /Mute/ }));
    await userEvent.click(screen.getByRole('button', { name: /Hold/ }));
    await userEvent.click(screen.getByRole('button', { name: /Keypad/ }));
    await userEvent.click(screen.getByRole('button', { name: '5' }));
    await userEvent.click(screen.getByRole('button', { name: /^.?\s*Transfer$/ }));
    await userEvent.type(screen.getByLabelText('Transfer to'), '2001{Enter}');
    expect(backend.commands('setMuted')).toEqual([['o1', true]]);
    expect(backend.commands('hold')).toEqual([['o1']]);
    expect(backend.commands('sendDtmf')).toEqual([['o1', '5']]);
    expect(backend.commands('transfer')).toEqual([['o1', '2001']]);
  });

  it('reflects mute and hold from events', async () => {
    const { backend, phone, view } = await connected();
    emit(backend, { type: 'muteChanged', call: 'o1', muted: true }, { type: 'held', call: 'o1', byRemote: true });
    await view.rerender({ call: phone.state.calls[0]!, onreport: () => {} });
    expect(screen.getByRole('button', { name: /Unmute/ })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('status')).toHaveTextContent('On hold by the other side');
  });

  it('hangs up', async () => {
    const { backend } = await connected();
    await userEvent.click(screen.getByRole('button', { name: /Hang up/ }));
    expect(backend.commands('hangup')).toEqual([['o1']]);
  });
});
