import { screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

import Dialer from '../components/Dialer.svelte';
import { emptyData, TestBackend } from '../lib/test-backend';
import { renderWith, setup } from './helpers';

function withDirectory() {
  const data = emptyData();
  data.directory = [
    { name: 'IT Helpdesk', number: '+15550100', source: 'directory' },
    { name: 'Dana Reyes', number: '+15550142', source: 'contact' },
  ];
  return new TestBackend(data);
}

describe('dialer', () => {
  it('dials a typed number with Enter', async () => {
    const { backend, phone } = await setup();
    renderWith(Dialer, phone, {});
    await userEvent.type(screen.getByLabelText('Number, SIP address or name'), '+1 555 0100{Enter}');
    expect(backend.commands('dial')).toEqual([['+1 555 0100']]);
  });

  it('builds a number with the keypad and dials on click', async () => {
    const { backend, phone } = await setup();
    renderWith(Dialer, phone, {});
    for (const key of ['1', '0', '0', 'hash']) await userEvent.click(screen.getByRole('button', { name: key }));
    expect(screen.getByLabelText('Number, SIP address or name')).toHaveValue('100#');
    await userEvent.click(screen.getByRole('button', { name: 'Call' }));
    expect(backend.commands('dial')).toEqual([['100#']]);
  });

  it('takes a pasted SIP address', async () => {
    const { backend, phone } = await setup();
    renderWith(Dialer, phone, {});
    const input = screen.getByLabelText('Number, SIP address or name');
    input.focus();
    await userEvent.paste('sip:1001@127.0.0.1');
    await userEvent.keyboard('{Enter}');
    expect(backend.commands('dial')).toEqual([['sip:1001@127.0.0.1']]);
  });

  it('searches contacts and the directory by name and calls the listed number', async () => {
    const { backend, phone } = await setup(withDirectory());
    renderWith(Dialer, phone, {});
    await userEvent.type(screen.getByLabelText('Number, SIP address or name'), 'help');
    const call = await screen.findByRole('button', { name: 'Call IT Helpdesk' });
    expect(screen.getByText(/Directory · \+15550100/)).toBeInTheDocument();
    expect(screen.queryByText('Dana Reyes')).toBeNull();
    await userEvent.click(call);
    expect(backend.commands('dial')).toEqual([['+15550100']]);
  });

  it('says so when nobody matches', async () => {
    const { phone } = await setup(withDirectory());
    renderWith(Dialer, phone, {});
    await userEvent.type(screen.getByLabelText('Number, SIP address or name'), 'zorro');
    expect(await screen.findByText(/No one called “zorro”/)).toBeInTheDocument();
  });

  it('shows a prefilled link target without dialling it', async () => {
    const { backend, phone } = await setup();
    renderWith(Dialer, phone, { target: '+12015550123' });
    expect(screen.getByLabelText('Number, SIP address or name')).toHaveValue('+12015550123');
    expect(backend.commands('dial')).toEqual([]);
  });

  it('asks before calling back a one-ring number, and only a second click places the call', async () => {
    const { backend, phone } = await setup();
    backend.failNext('dial', {
      code: 'destinationWarning',
      message: 'This number rang you once and hung up: calling back may cost a lot of money (one-ring scam).',
    });
    renderWith(Dialer, phone, {});
    await userEvent.type(screen.getByLabelText('Number, SIP address or name'), '+18765550198{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('rang you once');
    expect(backend.commands('dialConfirmed')).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Call anyway' }));
    expect(backend.commands('dialConfirmed')).toEqual([['+18765550198']]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("drops the call when the user chooses Don't call", async () => {
    const { backend, phone } = await setup();
    backend.failNext('dial', { code: 'destinationWarning', message: 'High-cost international range.' });
    renderWith(Dialer, phone, {});
    await userEvent.type(screen.getByLabelText('Number, SIP address or name'), '+18765550198{Enter}');
    await userEvent.click(screen.getByRole('button', { name: "Don't call" }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(backend.commands('dialConfirmed')).toEqual([]);
  });
});
