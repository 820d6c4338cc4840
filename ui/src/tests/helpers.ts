// Shared test setup: a PhoneStore over a TestBackend, and builders for events and verdicts.
import { render } from '@testing-library/svelte';
import { flushSync, type Component } from 'svelte';

import type { CallKey } from '../lib/bindings/CallKey';
import type { PhoneEvent } from '../lib/bindings/PhoneEvent';
import type { TrustVerdict } from '../lib/bindings/TrustVerdict';
import { phoneContext } from '../lib/context';
import { PhoneStore } from '../lib/phone.svelte';
import { TestBackend } from '../lib/test-backend';

export function verdict(change: Partial<TrustVerdict> = {}): TrustVerdict {
  return { level: 'neutral', attestation: 'none', brand: null, reasons: [], action: 'answer', callback: null, ...change };
}

export function incoming(call: CallKey, v: TrustVerdict, name: string | null = null, number = '+15559876'): PhoneEvent {
  return { type: 'incomingCall', call, caller: { number, displayName: name, uri: `tel:${number}` }, verdict: v, training: false };
}

export async function setup(backend = new TestBackend()) {
  const phone = new PhoneStore(backend);
  await phone.connect();
  return { backend, phone };
}

export function renderWith<Props extends Record<string, unknown>>(
  component: Component<Props>,
  phone: PhoneStore,
  props: Props,
) {
  return render(component as Component<Props>, { props, context: phoneContext(phone) } as never);
}

/** Emits events and lets Svelte apply them. */
export function emit(backend: TestBackend, ...events: PhoneEvent[]) {
  for (const event of events) backend.emit(event);
  flushSync();
}
