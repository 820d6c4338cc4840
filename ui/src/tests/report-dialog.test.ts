import { screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

import ReportDialog from '../components/ReportDialog.svelte';
import { renderWith, setup } from './helpers';

describe('report dialog', () => {
  it('sends with one click, without tags or note', async () => {
    const { backend, phone } = await setup();
    renderWith(ReportDialog, phone, { call: 'c7', onclose: () => {} });
    const send = screen.getByRole('button', { name: 'Send report' });
    expect(send).toHaveFocus();
    await userEvent.click(send);
    expect(backend.reports).toEqual([{ call: 'c7', report: { tags: [], note: null } }]);
    expect(screen.getByRole('status')).toHaveTextContent('Sent to your security team');
  });

  it('sends the chosen quick tags and the note', async () => {
    const { backend, phone } = await setup();
    renderWith(ReportDialog, phone, { call: 'c8', onclose: () => {} });
    await userEvent.click(screen.getByRole('button', { name: /Asked for a code/ }));
    await userEvent.click(screen.getByRole('button', { name: /Claimed to be IT/ }));
    await userEvent.click(screen.getByRole('button', { name: /Urgent payment/ }));
    await userEvent.click(screen.getByRole('button', { name: /Urgent payment/ })); // toggled off again
    expect(screen.getByRole('button', { name: /Asked for a code/ })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.type(screen.getByLabelText('Note (optional)'), 'Wanted my MFA code');
    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
    expect(backend.reports).toEqual([
      { call: 'c8', report: { tags: ['askedForCode', 'claimedToBeIt'], note: 'Wanted my MFA code' } },
    ]);
  });

  it('shows the error and stays open when sending fails', async () => {
    const { backend, phone } = await setup();
    backend.failNext('report', { code: 'locked', message: 'The vault is locked; unlock first.' });
    renderWith(ReportDialog, phone, { call: 'c9', onclose: () => {} });
    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
    expect(screen.getByRole('alert')).toHaveTextContent('The vault is locked');
    expect(screen.getByRole('button', { name: 'Send report' })).toBeEnabled();
  });

  it('closes with Escape', async () => {
    const { phone } = await setup();
    const onclose = vi.fn();
    renderWith(ReportDialog, phone, { call: 'c1', onclose });
    await userEvent.keyboard('{Escape}');
    expect(onclose).toHaveBeenCalledOnce();
  });
});
