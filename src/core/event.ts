import { Disposable, toDisposable } from './lifecycle';

/** A subscribable event, shaped like `vscode.Event<T>`. */
export type Event<T> = (
  listener: (e: T) => void,
  thisArgs?: unknown,
  disposables?: Disposable[],
) => Disposable;

/** Reports a listener that threw; set by the host to route into the log. */
export let onListenerError: (error: unknown) => void = (error) => {
  console.error('Stream Chat: an event listener threw', error);
};

export function setListenerErrorHandler(handler: (error: unknown) => void): void {
  onListenerError = handler;
}

/**
 * Owns an event. A listener that throws is reported and skipped, so one broken
 * listener cannot starve the others (as in VS Code's own `Emitter`).
 */
export class Emitter<T> implements Disposable {
  private _listeners: Array<(e: T) => void> = [];
  private _isDisposed = false;

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    if (this._isDisposed) return toDisposable(() => {});
    const bound = thisArgs ? listener.bind(thisArgs) : listener;
    this._listeners.push(bound);
    const subscription = toDisposable(() => {
      this._listeners = this._listeners.filter((l) => l !== bound);
    });
    disposables?.push(subscription);
    return subscription;
  };

  fire(value: T): void {
    for (const listener of this._listeners) {
      try {
        listener(value);
      } catch (e) {
        onListenerError(e);
      }
    }
  }

  dispose(): void {
    this._isDisposed = true;
    this._listeners = [];
  }
}
