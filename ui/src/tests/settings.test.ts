import { screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';

import Settings from '../components/Settings.svelte';
import { emptyData, TestBackend } from '../lib/test-backend';
import { renderWith, setup } from './helpers';

describe('settings', () => {
  it('shows managed policy read-only and toggles autostart', async () => {
    const data = emptyData();
    data.settings.policy = [{ key: 'Encryption', value: 'Required', managed: true }];
    const { backend, phone } = await setup(new TestBackend(data));
    renderWith(Settings, phone, {});
    expect(await screen.findByText('Set by your organisation')).toBeInTheDocument();
    expect(screen.getByText('Required')).toBeInTheDocument();
    expect(screen.getByText(/training line/)).toBeInTheDocument();
    const autostart = screen.getByLabelText('Start Callwarden when I log in');
    await vi.waitFor(() => expect(autostart).toBeEnabled());
    await userEvent.click(autostart);
    expect(backend.commands('setAutostart')).toEqual([[true]]);
    expect(data.autostart).toBe(true);
  });

  it('chooses the microphone and speaker, keeping the other side', async () => {
    const data = emptyData();
    data.settings.devices = { inputs: ['Built-in', 'Headset'], outputs: ['Speakers', 'Headset'], input: 'Built-in', output: 'Speakers' };
    const { backend, phone } = await setup(new TestBackend(data));
    renderWith(Settings, phone, {});
    const microphone = await screen.findByLabelText('Microphone');
    expect(microphone).toBeEnabled();
    await userEvent.selectOptions(microphone, 'Headset');
    await userEvent.selectOptions(screen.getByLabelText('Speaker'), 'Headset');
    expect(backend.commands('chooseDevices')).toEqual([
      ['Headset', 'Speakers'],
      ['Headset', 'Headset'],
    ]);
    expect(data.settings.devices.input).toBe('Headset');
  });

  it('switches the theme and remembers it', async () => {
    const { phone } = await setup();
    renderWith(Settings, phone, {});
    await userEvent.click(screen.getByLabelText('Dark'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('callwarden.theme')).toBe('dark');
    await userEvent.click(screen.getByLabelText('Like the system'));
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});
