/** Something that holds a resource and releases it once, when disposed. Same shape as `vscode.Disposable`. */
export interface Disposable {
  dispose(): void;
}

/** Wraps a cleanup function as a Disposable that runs it at most once. */
export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

/** Disposes each item, continuing past (and then rethrowing the first of) any errors. */
export function disposeAll(items: Iterable<Disposable>): void {
  let first: unknown;
  for (const item of items) {
    try {
      item.dispose();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

/** A set of disposables released together; adding to a disposed store disposes the item at once. */
export class DisposableStore implements Disposable {
  private readonly _items = new Set<Disposable>();
  private _isDisposed = false;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this._isDisposed) item.dispose();
    else this._items.add(item);
    return item;
  }

  /** Disposes everything held so far but keeps the store usable. */
  clear(): void {
    const items = [...this._items];
    this._items.clear();
    disposeAll(items);
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this.clear();
  }
}

/** Base class for owners: everything `_register`ed is disposed with the owner. */
export abstract class DisposableObject implements Disposable {
  private readonly _store = new DisposableStore();

  protected get isDisposed(): boolean {
    return this._store.isDisposed;
  }

  protected _register<T extends Disposable>(item: T): T {
    return this._store.add(item);
  }

  dispose(): void {
    this._store.dispose();
  }
}

/** Holds at most one disposable; assigning a new value disposes the previous one ("swap, don't juggle"). */
export class MutableDisposable<T extends Disposable> implements Disposable {
  private _value: T | undefined;
  private _isDisposed = false;

  get value(): T | undefined {
    return this._value;
  }

  set value(next: T | undefined) {
    if (this._isDisposed) {
      next?.dispose();
      return;
    }
    if (next === this._value) return;
    const previous = this._value;
    this._value = next;
    previous?.dispose();
  }

  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    this.clear();
    this._isDisposed = true;
  }
}
