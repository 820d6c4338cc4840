// Entry point: picks the backend (the shell's IPC inside Tauri, the demo backend in a plain
// browser or a `VITE_BACKEND=demo` build), mounts the app and tells the shell it is interactive.
import './app.css';

import { mount } from 'svelte';

import App from './App.svelte';
import type { Backend } from './lib/backend';
import { PhoneStore } from './lib/phone.svelte';
import { TauriBackend } from './lib/tauri-backend';
import { theme } from './lib/theme.svelte';

const ONBOARDED = 'callwarden.onboarded';

async function pickBackend(): Promise<Backend> {
  const inShell = '__TAURI_INTERNALS__' in window;
  if (inShell && import.meta.env.VITE_BACKEND !== 'demo') return new TauriBackend();
  // Loaded only outside the shell (its own chunk), so the app does not parse it at start.
  return (await import('./lib/demo')).demoBackend();
}

async function start(): Promise<void> {
  theme.applyTo(document.documentElement);
  const phone = new PhoneStore(await pickBackend());
  await phone.connect();
  const target = document.getElementById('app');
  if (!target) throw new Error('index.html has no #app');
  mount(App, { target, props: { phone, onboarded: localStorage.getItem(ONBOARDED) === 'yes' } });
  localStorage.setItem(ONBOARDED, 'yes');
  // After the first frame is painted: the launch-to-interactive marker.
  requestAnimationFrame(() => setTimeout(() => void phone.backend.uiReady().catch(() => {}), 0));
}

void start();
