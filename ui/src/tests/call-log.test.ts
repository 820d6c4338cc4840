import { screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

import CallLog from '../components/CallLog.svelte';
import type { CallLogEntry } from '../lib/pending';
import { emptyData, TestBackend } from '../lib/test-backend';
import { renderWith, setup, verdict } from './helpers';

function entry(call: string, direction: 'incoming' | 'outgoing', level: CallLogEntry['verdict']['level'], number: string): CallLogEntry {
  return {
    call, direction, startedAtMs: 1_700_000_000_000, durationSecs: 10, end: { reason: 'remoteHangup' },
    party: { number, displayName: `Caller ${call}`, uri: `tel:${number}` },
    verdict: verdict({ level, attestation: level === 'verified' ? 'a' : 'none' }), reported: false, blocked: false, training: false, media: null,
  };
}

async function showLog() {
  const data = emptyData();
  data.log = [
    entry('l1', 'incoming', 'caution', '+15551111'),
    entry('l2', 'incoming', 'verified', '+15552222'),
    entry('l3', 'outgoing', 'neutral', '+15553333'),
    entry('l4', 'incoming', 'danger', '+15554444'),
  ];
  const { backend, phone } = await setup(new TestBackend(data));
  const onreport = vi.fn();
  renderWith(CallLog, phone, { onreport });
  await screen.findAllByTestId('log-entry');
  return { backend, onreport };
}

const names = () => screen.queryAllByTestId('log-entry').map((li) => li.querySelector('.name')!.textContent!.replace(/\s+/g, ' ').trim());

describe('call log', () => {
  it('filters by direction and by warnings', async () => {
    await showLog();
    expect(names()).toHaveLength(4);
    await userEvent.click(screen.getByLabelText('Outgoing'));
    expect(names()).toEqual(['↗ Outgoing: Caller l3']);
    await userEvent.click(screen.getByLabelText('Warnings'));
    expect(names()).toEqual(['↙ Incoming: Caller l1', '↙ Incoming: Caller l4']);
    await userEvent.click(screen.getByLabelText('Incoming'));
    expect(names()).toHaveLength(3);
    await userEvent.click(screen.getByLabelText('All'));
    expect(names()).toHaveLength(4);
  });

  it('shows each incoming call\'s badge in words', async () => {
    await showLog();
    const first = screen.getAllByTestId('log-entry')[0]!;
    expect(within(first).getByText('Caution')).toBeInTheDocument();
    expect(within(first).getByText('No verification')).toBeInTheDocument();
  });

  it('blocks a number and shows it blocked', async () => {
    const { backend } = await showLog();
    await userEvent.click(screen.getByRole('button', { name: 'Block +15551111' }));
    expect(backend.commands('block')).toEqual([['+15551111']]);
    const first = screen.getAllByTestId('log-entry')[0]!;
    expect(await within(first).findByText('Blocked')).toBeInTheDocument();
  });

  it('opens the report for a call', async () => {
    const { onreport } = await showLog();
    await userEvent.click(screen.getByRole('button', { name: 'Report call from +15554444' }));
    expect(onreport).toHaveBeenCalledWith(expect.objectContaining({ call: 'l4' }));
  });

  it('explains when the history is not available', async () => {
    const backend = new TestBackend();
    backend.failNext('callLog', { code: 'unavailable', message: 'Call history is not available yet.' });
    const { phone } = await setup(backend);
    renderWith(CallLog, phone, { onreport: () => {} });
    expect(await screen.findByText('Call history is not available yet.')).toBeInTheDocument();
  });
});
