import { screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { render } from '@testing-library/svelte';
import { flushSync } from 'svelte';

import App from '../App.svelte';
import { VERDICTS } from '../lib/demo';
import { emptyData, TestBackend } from '../lib/test-backend';
import { emit, incoming, setup } from './helpers';

async function app(backend = new TestBackend(), onboarded = true) {
  const { phone } = await setup(backend);
  render(App, { props: { phone, onboarded } });
  return { backend, phone };
}

describe('app', () => {
  it('enrols a passkey on first run, then shows the phone', async () => {
    const data = emptyData();
    data.lock = { enrolled: false, locked: true };
    const { backend } = await app(new TestBackend(data));
    await userEvent.click(await screen.findByRole('button', { name: /Create a passkey/ }));
    expect(backend.commands('enrolPasskey')).toHaveLength(1);
    expect(await screen.findByRole('heading', { name: 'Call' })).toBeInTheDocument();
  });

  it('unlocks with the passkey and locks again', async () => {
    const data = emptyData();
    data.lock = { enrolled: true, locked: true };
    const { backend } = await app(new TestBackend(data));
    const unlock = await screen.findByRole('button', { name: /Unlock with passkey/ });
    expect(unlock).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(backend.commands('unlock')).toHaveLength(1);
    await userEvent.click(await screen.findByRole('button', { name: /Lock/ }));
    expect(await screen.findByRole('heading', { name: 'Callwarden is locked' })).toBeInTheDocument();
  });

  it('keeps an unlock error on screen', async () => {
    const data = emptyData();
    data.lock = { enrolled: true, locked: true };
    const backend = new TestBackend(data);
    backend.failNext('unlock', { code: 'locked', message: 'The passkey was not accepted.' });
    await app(backend);
    await userEvent.click(await screen.findByRole('button', { name: /Unlock with passkey/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The passkey was not accepted.');
  });

  it('walks through onboarding with level meters', async () => {
    const { backend } = await app(new TestBackend(), false);
    expect(await screen.findByText(/runs on its/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create a passkey' }));
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await userEvent.click(screen.getByRole('button', { name: 'Start the test' }));
    backend.levels({ input: 0.42, output: 0.1 });
    flushSync();
    expect(screen.getByLabelText('Microphone')).toHaveValue(42);
    expect(backend.commands('audioTest')).toEqual([[true]]);
    await userEvent.click(screen.getByRole('button', { name: 'Start using Callwarden' }));
    expect(backend.commands('audioTest')).toEqual([[true], [false]]);
    expect(screen.getByRole('heading', { name: 'Call' })).toBeInTheDocument();
  });

  it('shows a ringing call over the tabs and returns after the call', async () => {
    const { backend } = await app();
    await screen.findByRole('heading', { name: 'Call' });
    emit(backend, incoming('c1', VERDICTS.verifiedColleague, 'Dana Reyes', '+15550142'));
    expect(screen.getByRole('heading', { name: 'Incoming call' })).toBeInTheDocument();
    emit(backend, { type: 'ended', call: 'c1', reason: { reason: 'cancelled' } });
    expect(screen.getByText('The caller gave up.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.getByRole('heading', { name: 'Call' })).toBeInTheDocument();
  });

  it('runs a training call and gives feedback on what to notice', async () => {
    const data = emptyData();
    data.scenarios = [{ id: 'fake-helpdesk', title: 'Fake helpdesk', caller: '+15559876', name: 'IT Helpdesk', verdict: VERDICTS.fakeHelpdesk, lesson: ['Real IT staff never ask for your codes.'] }];
    const { backend } = await app(new TestBackend(data));
    await userEvent.click(await screen.findByRole('button', { name: 'Training' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Start Fake helpdesk' }));
    expect(backend.commands('startTraining')).toEqual([['fake-helpdesk']]);
    emit(backend, { ...incoming('t1', VERDICTS.fakeHelpdesk, 'IT Helpdesk'), training: true } as never);
    expect(screen.getByRole('heading', { name: 'Training call' })).toBeInTheDocument();
    emit(backend, { type: 'ended', call: 't1', reason: { reason: 'declined' } });
    expect(screen.getByRole('heading', { name: /What to notice/ })).toBeInTheDocument();
    expect(screen.getByText('Real IT staff never ask for your codes.')).toBeInTheDocument();
    expect(screen.getByText(/you did not stay on the line/)).toBeInTheDocument();
  });

  it('fills the dialler from a tel: link without dialling', async () => {
    const { backend } = await app();
    await userEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    backend.prefill('+12015550123');
    flushSync();
    expect(screen.getByLabelText('Number, SIP address or name')).toHaveValue('+12015550123');
    expect(backend.commands('dial')).toEqual([]);
  });

  it('reports a call from the history', async () => {
    const data = emptyData();
    data.log = [{ call: 'l1', direction: 'incoming', startedAtMs: 0, durationSecs: 1, end: null, party: { number: '+15551111', displayName: null, uri: 'tel:+15551111' }, verdict: VERDICTS.fakeHelpdesk, reported: false, blocked: false, training: false, media: null }];
    const { backend } = await app(new TestBackend(data));
    await userEvent.click(await screen.findByRole('button', { name: 'History' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Report call from +15551111' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
    expect(backend.reports).toEqual([{ call: 'l1', report: { tags: [], note: null } }]);
  });
});
