// The live phone state for components: PhoneEvents from the backend folded by `apply`.
import type { Backend, Unlisten } from './backend';
import { apply, dismiss, initialState, type PhoneState } from './calls';
import type { CallKey } from './bindings/CallKey';
import type { LockState } from './bindings/LockState';

export class PhoneStore {
  state: PhoneState = $state(initialState);
  /** The last error to show the user (plain words). */
  error: string | null = $state(null);
  private unlisten: Unlisten | null = null;

  constructor(readonly backend: Backend) {}

  async connect(): Promise<void> {
    this.unlisten = await this.backend.onEvent((event) => {
      this.state = apply(this.state, event);
    });
  }

  disconnect(): void {
    this.unlisten?.();
    this.unlisten = null;
  }

  /** Records the lock state read from the engine (events update it too). */
  setLock(lock: LockState): void {
    this.state = { ...this.state, lock };
  }

  dismiss(call: CallKey): void {
    this.state = dismiss(this.state, call);
  }

  /** Runs a command and shows its error, if any, instead of throwing. */
  async run<T>(command: (backend: Backend) => Promise<T>): Promise<T | undefined> {
    try {
      this.error = null;
      return await command(this.backend);
    } catch (error) {
      this.error = typeof error === 'object' && error && 'message' in error ? String(error.message) : String(error);
      return undefined;
    }
  }
}
