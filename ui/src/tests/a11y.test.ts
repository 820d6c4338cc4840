// axe-core on each screen in jsdom (colour contrast needs a real renderer: the webview E2E run
// checks that). Fails on serious or critical violations.
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';

import App from '../App.svelte';
import { demoBackend, VERDICTS } from '../lib/demo';
import { PhoneStore } from '../lib/phone.svelte';
import { emit, incoming } from './helpers';

async function serious(): Promise<string[]> {
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

describe('accessibility', () => {
  it('has no serious violations on any screen', async () => {
    const backend = demoBackend();
    const phone = new PhoneStore(backend);
    await phone.connect();
    render(App, { props: { phone, onboarded: true } });
    await screen.findByRole('heading', { name: 'Call' });
    expect(await serious()).toEqual([]);

    for (const tab of ['History', 'Training', 'Settings']) {
      await userEvent.click(screen.getByRole('button', { name: tab }));
      await screen.findByRole('heading', { name: tab });
      expect(await serious(), tab).toEqual([]);
    }

    emit(backend, incoming('c1', VERDICTS.fakeHelpdesk, 'IT Helpdesk'));
    expect(await serious(), 'incoming').toEqual([]);
    emit(backend, { type: 'answered', call: 'c1' }, { type: 'qualityUpdated', call: 'c1', quality: { lossPercent: 0, jitterMs: 2, rttMs: 20, mos: 4.4 } });
    expect(await serious(), 'active call').toEqual([]);
    emit(backend, { type: 'ended', call: 'c1', reason: { reason: 'remoteHangup' } });
    await userEvent.click(screen.getByRole('button', { name: /Report this call/ }));
    expect(await serious(), 'report dialog').toEqual([]);
  });
});
