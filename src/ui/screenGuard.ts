import * as vscode from 'vscode';
import { Clock, systemClock } from '../core/clock';
import { Emitter } from '../core/event';
import { Disposable, DisposableObject, MutableDisposable, toDisposable } from '../core/lifecycle';
import { Logger } from '../core/log';
import { LiveSource, isLive } from '../screen/live';
import {
  MaskIndex,
  MaskRange,
  RangeScanner,
  secretRanges,
  wholeLineRanges,
} from '../screen/maskIndex';
import { Reveals } from '../screen/reveals';
import { blockedBy } from '../send/secretScanner';
import { read, updateSetting } from './config';

export const TOGGLE_SCREEN_GUARD_COMMAND = 'streamChat.toggleScreenGuard';
export const REVEAL_MASKED_COMMAND = 'streamChat.revealMaskedFile';
/** Context key: the guard is masking now (the reveal command shows in the palette only then). */
const MASKING_CONTEXT = 'streamChat.screenGuardMasking';
const REVEAL_MS = 30_000;
/**
 * Longest wait between an edit and its rescan. Not reset by further keystrokes: a value pasted or
 * typed mid-burst is masked within this time even while typing goes on.
 */
const RESCAN_DELAY_MS = 50;
/** The same width whatever the value's length: the mask must not tell how long a key is. */
const MASK_TEXT = '••••';

/** `masking`: on and live; `armed`: on, nothing live; `off`: turned off in settings. */
export type ScreenGuardStatus = 'masking' | 'armed' | 'off';

interface Tracked {
  readonly index: MaskIndex;
  readonly blocked: boolean;
  /** Whether anything was masked at the last render. */
  masked: boolean;
}

/**
 * Masks secrets on screen while live (`streamChat.screenGuard.enabled`, on by default): values the
 * secret scanner finds in visible editors are hidden behind `••••`, and files matching
 * `streamChat.sendSelection.blockedFiles` are hidden line by line. A status-bar button reveals
 * the active file for 30 s. When nothing is live the guard holds no state and draws nothing.
 *
 * Each document keeps a `MaskIndex`: the first sight scans it whole, edits rescan only the
 * paragraphs they touched, at most `RESCAN_DELAY_MS` after the keystroke.
 */
export class ScreenGuard extends DisposableObject {
  private readonly _onDidChange = this._register(new Emitter<ScreenGuardStatus>());
  /** The status changed (for the status item). */
  readonly onDidChange = this._onDidChange.event;
  private readonly _mask: vscode.TextEditorDecorationType;
  /** One click to reveal the active file (a CodeLens would sit on a hidden line and not show). */
  private readonly _revealItem: vscode.StatusBarItem;
  private readonly _docs = new Map<string, Tracked>();
  /** Documents revealed by the streamer, each with the timer that masks it again. */
  private readonly _revealed: Reveals;
  private readonly _rescan = this._register(new MutableDisposable<Disposable>());
  private _status: ScreenGuardStatus = 'off';

  constructor(
    private readonly _live: LiveSource,
    private readonly _log: Logger,
    private readonly _clock: Clock = systemClock,
  ) {
    super();
    this._revealed = this._register(new Reveals(_clock, REVEAL_MS, () => this._render()));
    this._mask = vscode.window.createTextEditorDecorationType({
      // The CSS injection hides the characters themselves (not just their colour), so neither the
      // rendered text nor a screenshot holds them; the injected `before` text draws the mask.
      textDecoration: 'none; display: none;',
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      before: {
        contentText: MASK_TEXT,
        color: new vscode.ThemeColor('editorWarning.foreground'),
        backgroundColor: new vscode.ThemeColor('editor.inactiveSelectionBackground'),
      },
    });
    this._register(toDisposable(() => this._mask.dispose()));
    this._revealItem = vscode.window.createStatusBarItem(
      'streamChat.screenGuard',
      vscode.StatusBarAlignment.Left,
      99,
    );
    this._revealItem.name = vscode.l10n.t('Stream Chat Screen Guard');
    this._register(toDisposable(() => this._revealItem.dispose()));
    this._register(_live.onDidChangeStatus(() => this._update()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('streamChat.sendSelection.blockedFiles')) {
          this._docs.clear();
          this._render();
        }
        if (e.affectsConfiguration('streamChat.screenGuard')) this._update();
      }),
    );
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this._render()));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this._updateRevealItem()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this._onEdit(e)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        this._docs.delete(key);
        this._revealed.delete(key);
      }),
    );
    this._register(
      vscode.commands.registerCommand(TOGGLE_SCREEN_GUARD_COMMAND, () => this.toggle()),
    );
    this._register(
      vscode.commands.registerCommand(
        REVEAL_MASKED_COMMAND,
        (args?: { uri?: string; reveal?: boolean }) => this.reveal(args?.uri, args?.reveal),
      ),
    );
    this._update();
  }

  get status(): ScreenGuardStatus {
    return this._status;
  }

  /** The masks drawn in a document now (none when revealed or not masking), for tests. */
  masksOf(uri: string): MaskRange[] {
    if (this._status !== 'masking' || this._revealed.has(uri)) return [];
    return this._docs.get(uri)?.index.ranges() ?? [];
  }

  /** Flips `streamChat.screenGuard.enabled` where it is set (workspace, else user settings); returns the new value. */
  async toggle(): Promise<boolean> {
    const next = !enabledSetting();
    await updateSetting('screenGuard.enabled', next);
    vscode.window.setStatusBarMessage(
      next
        ? vscode.l10n.t('Screen guard on: secrets are masked in editors while live.')
        : vscode.l10n.t('Screen guard off: secrets are not masked while live.'),
      4000,
    );
    return next;
  }

  /**
   * Reveals a masked document for 30 s (`reveal: false` masks it again at once). Defaults to the
   * active editor's document. Returns whether the document is revealed now.
   */
  reveal(uri?: string, reveal?: boolean): boolean {
    const key = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
    if (!key || this._status !== 'masking') return false;
    const next = this._revealed.set(key, reveal ?? !this._revealed.has(key));
    this._render();
    return next;
  }

  /** Shown while the active editor is masked (or revealed): the one-click reveal, or mask again. */
  private _updateRevealItem(): void {
    const document = vscode.window.activeTextEditor?.document;
    const key = document?.uri.toString();
    const tracked = key ? this._docs.get(key) : undefined;
    if (this._status !== 'masking' || !key || (!this._revealed.has(key) && !tracked?.masked)) {
      this._revealItem.hide();
      return;
    }
    const revealed = this._revealed.has(key);
    this._revealItem.text = revealed
      ? vscode.l10n.t('$(eye-closed) Mask again')
      : vscode.l10n.t('$(eye) Reveal for 30 s');
    this._revealItem.tooltip = revealed
      ? vscode.l10n.t(
          'This file is shown on stream; it is masked again within 30 s. Click to mask it now.',
        )
      : tracked?.blocked
        ? vscode.l10n.t(
            'This file matches streamChat.sendSelection.blockedFiles and is masked while you are live. Click to show it for 30 s.',
          )
        : vscode.l10n.t(
            'Secrets in this file are masked while you are live. Click to show them for 30 s.',
          );
    this._revealItem.command = {
      title: this._revealItem.text,
      command: REVEAL_MASKED_COMMAND,
      arguments: [{ uri: key, reveal: !revealed }],
    };
    this._revealItem.accessibilityInformation = { label: this._revealItem.tooltip, role: 'button' };
    this._revealItem.show();
  }

  private _update(): void {
    const enabled = enabledSetting();
    const status: ScreenGuardStatus = !enabled ? 'off' : isLive(this._live) ? 'masking' : 'armed';
    if (status === this._status) return;
    const wasMasking = this._status === 'masking';
    this._status = status;
    if (wasMasking && status !== 'masking') {
      // Back to normal: no state kept for later, nothing drawn.
      this._docs.clear();
      this._revealed.clear();
      this._rescan.clear();
    }
    void vscode.commands.executeCommand('setContext', MASKING_CONTEXT, status === 'masking');
    this._log.info(`screen guard: ${status}`);
    this._render();
    this._onDidChange.fire(status);
  }

  private _onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (this._status !== 'masking' || e.contentChanges.length === 0) return;
    const tracked = this._docs.get(e.document.uri.toString());
    if (!tracked) return;
    // Ranges refer to the document before the event; applying the lowest change last keeps the
    // line numbers of the others valid.
    const changes = [...e.contentChanges].sort((a, b) => b.range.start.compareTo(a.range.start));
    for (const c of changes)
      tracked.index.edit(c.range.start.line, c.range.end.line, countLines(c.text));
    this._rescan.value ??= this._clock.setTimeout(() => {
      this._rescan.clear();
      this._render();
    }, RESCAN_DELAY_MS);
  }

  /** Draws the masks in every visible editor (or clears them), rescanning what changed. */
  private _render(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const document = editor.document;
      const key = document.uri.toString();
      if (this._status !== 'masking' || this._revealed.has(key)) {
        editor.setDecorations(this._mask, []);
        continue;
      }
      const tracked = this._track(document);
      const scan: RangeScanner = tracked.blocked ? wholeLineRanges : secretRanges;
      tracked.index.refresh((line) => document.lineAt(line).text, scan);
      const ranges = tracked.index.ranges();
      editor.setDecorations(
        this._mask,
        ranges.map((r) => new vscode.Range(r.line, r.start, r.line, r.end)),
      );
      tracked.masked = ranges.length > 0;
    }
    this._updateRevealItem();
  }

  private _track(document: vscode.TextDocument): Tracked {
    const key = document.uri.toString();
    let tracked = this._docs.get(key);
    if (!tracked || tracked.index.lineCount !== document.lineCount) {
      tracked = {
        index: new MaskIndex(document.lineCount),
        blocked: this._isBlocked(document),
        masked: false,
      };
      this._docs.set(key, tracked);
    }
    return tracked;
  }

  private _isBlocked(document: vscode.TextDocument): boolean {
    if (document.isUntitled) return false;
    // Outside the workspace the whole path is matched, so a blocked folder anywhere still counts.
    const path = vscode.workspace.getWorkspaceFolder(document.uri)
      ? vscode.workspace.asRelativePath(document.uri, false)
      : document.uri.path.replace(/^\/+/, '');
    return blockedBy(path, this._blockedPatterns()) !== undefined;
  }

  private _blockedPatterns(): readonly string[] {
    // Not a list of glob strings: the default patterns (the reader says so, naming the key).
    return read('sendSelection.blockedFiles');
  }
}

function enabledSetting(): boolean {
  // Anything but an explicit `false` reads as the default, on: a typo must not unmask keys.
  return read('screenGuard.enabled');
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
