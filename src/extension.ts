import * as vscode from 'vscode';
import { ChatHub } from './core/chatHub';
import { setListenerErrorHandler } from './core/event';
import { SecretRegistry } from './core/log';
import { ChatMessage, PlatformId } from './core/message';
import { ClientRegistry } from './core/clientRegistry';
import { PLATFORM_FACTORIES, TOKEN_DESTINATIONS } from './platformFactories';
import { ChatPanel } from './ui/chatPanel';
import { ChatViewProvider } from './ui/chatViewProvider';
import { webviewStringTable } from './ui/webviewStrings';
import { ChatViewDeps } from './ui/chatViewConnection';
import { EditorActivity } from './ui/editorActivity';
import * as config from './ui/config';
import { registerConnectionCommands } from './ui/connectionCommands';
import { ConnectionStatusItem } from './ui/connectionStatusItem';
import { FailureNotifier } from './ui/failureNotifier';
import { createLog } from './ui/log';
import { registerTokenCommands } from './ui/tokenCommands';
import { registerSendMessageCommand, registerSendSelectionCommand } from './ui/sendCommands';
import { registerTauTestEventCommand } from './ui/tauTestEventCommand';
import { HighlightController } from './ui/highlights';
import { ScreenGuard, ScreenGuardStatus } from './ui/screenGuard';
import { ChatCommandResponder } from './ui/chatCommands';
import { ReplyResult, ReviewThreads, ThreadSummary } from './ui/reviewThreads';
import { TAU_TEST_EVENTS, fetchBroadcaster, postTestEvent, tauSettingsFrom } from './platforms/tau';
import { TokenStore } from './ui/tokenStore';
import { WalkthroughContext } from './ui/walkthroughContext';
import { offerWalkthroughOnce } from './ui/firstRun';
import { ModerationController, registerModerationCommands } from './ui/moderationCommands';
import { TokenOriginGuard } from './ui/tokenOriginGuard';
import { originsOf } from './core/origin';
import { TimelinePersistence } from './ui/timelinePersistence';
import { PlatformStatus } from './core/chatHub';
import type { HighlightSummary } from './protocol/messages';
import { CodeReferences, CodeRefSummary } from './code/codeReferences';
import { GitFacts } from './code/git';
import { WorkspaceFileIndex } from './code/workspaceIndex';
import { ChatOutbox } from './send/outbox';

/** What `activate` returns: read-only facts for tests and other extensions. */
export interface StreamChatApi {
  /** How long `activate` took, in ms. */
  readonly activationTimeMs: number;
  /** The merged timeline the view shows (scrollback). */
  messages(): ChatMessage[];
  statuses(): PlatformStatus[];
  /** The active `!line` highlights (read-only). */
  highlights(): HighlightSummary[];
  /** The screen guard's status and the masks it draws in a document (positions only, never text). */
  screenGuard(): {
    status: ScreenGuardStatus;
    masksOf(uri: string): Array<{ line: number; start: number; end: number }>;
  };
  /** The code references resolved in one chat line (files named only when not blocked). */
  codeReferences(platform: PlatformId, messageId: string): CodeRefSummary[];
  /** Opens a reference as a click in the view does. */
  openCodeReference(id: string): Promise<boolean>;
  /** The `!line` comment threads. */
  threads(): ThreadSummary[];
  /** Replies in a thread as its Reply button does. */
  replyInThread(highlightId: string, text: string): Promise<ReplyResult>;
  /** Whether SecretStorage holds a token for the platform (never the token itself). */
  hasStoredToken(platform: PlatformId): Promise<boolean>;
}

/**
 * The composition root: builds the owners and registers them on the context. No network I/O
 * happens here; connecting waits for a command, or `streamChat.connectOnStartup`.
 */
export function activate(context: vscode.ExtensionContext): StreamChatApi {
  const started = performance.now();
  const subscriptions = context.subscriptions;

  const secretValues = new SecretRegistry();
  const { channel, log } = createLog(secretValues);
  subscriptions.push(channel);
  config.setSettingsLog(log);
  setListenerErrorHandler((error) =>
    log.error(
      `a listener threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ),
  );

  const tokens = new TokenStore(context.secrets, secretValues, (p) =>
    originsOf(TOKEN_DESTINATIONS[p](config.userPlatformSettings(p))),
  );
  const guard = new TokenOriginGuard(tokens, (p, settings) => TOKEN_DESTINATIONS[p](settings), log);
  const hub = new ChatHub({ scrollback: config.scrollback(), log, t: vscode.l10n.t });
  const redact = (text: string) => secretValues.redact(text);
  const clients = new ClientRegistry({
    hub,
    factories: PLATFORM_FACTORIES,
    settings: { isEnabled: config.isEnabled, read: config.platformSettings },
    // A token goes only to the servers it was entered for.
    tokens: {
      tokenFor: (p, settings) => guard.tokenFor(p, settings),
      onDidChange: tokens.onDidChange,
    },
    log,
    redact,
  });
  const persistence = new TimelinePersistence(hub, context.workspaceState, log);
  persistence.restore();
  subscriptions.push(tokens, hub, clients, persistence);

  const outbox = new ChatOutbox(hub);
  subscriptions.push(outbox);
  const git = new GitFacts(log);
  const files = new WorkspaceFileIndex(log);
  const codeRefs = new CodeReferences(hub, files, git, log, config.read);
  subscriptions.push(git, files, codeRefs);

  const failures = new FailureNotifier(hub, (p) => guard.isHeldBack(p));
  const highlights = new HighlightController(hub, log, { files });
  const threads = new ReviewThreads(highlights, outbox, log);
  const chatCommands = new ChatCommandResponder(hub, outbox, git, log);
  const moderation = new ModerationController(hub, log);
  subscriptions.push(moderation);
  const viewSettingsChanged = new vscode.EventEmitter<void>();
  const editorActivity = new EditorActivity({
    onDidChangeTextDocument: vscode.workspace.onDidChangeTextDocument,
    onDidMoveCaretByKeyboard: (listener) =>
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.kind === vscode.TextEditorSelectionChangeKind.Keyboard) listener(e);
      }),
    visibleDocuments: () => vscode.window.visibleTextEditors.map((editor) => editor.document),
  });
  subscriptions.push(viewSettingsChanged, editorActivity);
  const viewDeps: ChatViewDeps = {
    hub,
    log,
    viewSettings: config.viewSettings,
    onDidChangeViewSettings: viewSettingsChanged.event,
    onConnectRequested: () => failures.connectRequested(),
    strings: webviewStringTable,
    highlights,
    bridges: [codeRefs],
    moderation,
    editorTyping: () => editorActivity.typing,
  };
  const viewProvider = new ChatViewProvider(context.extensionUri, viewDeps);
  const panel = new ChatPanel(context.extensionUri, viewDeps);
  const statusItem = new ConnectionStatusItem(hub, tokens);
  const walkthrough = new WalkthroughContext(hub, tokens);
  subscriptions.push(walkthrough);
  const screenGuard = new ScreenGuard(hub, log);
  subscriptions.push(
    viewProvider,
    panel,
    statusItem,
    failures,
    highlights,
    threads,
    chatCommands,
    screenGuard,
  );
  statusItem.setScreenGuard(screenGuard.status);
  subscriptions.push(screenGuard.onDidChange((status) => statusItem.setScreenGuard(status)));

  subscriptions.push(
    registerTokenCommands(tokens),
    registerConnectionCommands(hub, failures),
    registerModerationCommands(moderation, hub),
    registerSendMessageCommand({ hub, log, state: context.workspaceState }),
    registerSendSelectionCommand({
      hub,
      log,
      state: context.workspaceState,
      outbox,
      onDidSendSelection: () => walkthrough.selectionSent(),
    }),
    registerTauTestEventCommand({
      types: TAU_TEST_EVENTS,
      isEnabled: () => config.isEnabled('tau'),
      post: async (eventType, data) => {
        const settings = config.platformSettings('tau');
        try {
          return await postTestEvent(
            tauSettingsFrom(settings).url,
            await guard.tokenFor('tau', settings),
            eventType,
            data,
          );
        } catch (error) {
          // TAU's error bodies are shown, and a server may echo the token in them (so no `cause` either).
          // eslint-disable-next-line preserve-caught-error
          throw new Error(redact(error instanceof Error ? error.message : String(error)));
        }
      },
      broadcaster: async () => {
        const settings = config.platformSettings('tau');
        const token = await guard.tokenFor('tau', settings);
        return token ? fetchBroadcaster(tauSettingsFrom(settings).url, token) : undefined;
      },
    }),
    vscode.commands.registerCommand('streamChat.openChat', async () => {
      await vscode.commands.executeCommand(`${ChatViewProvider.viewType}.focus`);
      return true;
    }),
    vscode.commands.registerCommand('streamChat.focusComposer', async () => {
      await viewProvider.revealComposer();
      return true;
    }),
    vscode.commands.registerCommand('streamChat.openChatInEditor', () => {
      panel.show();
      return true;
    }),
    vscode.commands.registerCommand('streamChat.showLog', () => channel.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(config.SECTION)) return;
      const changed = (['glimesh', 'mixer', 'tau'] as const).filter((p) =>
        e.affectsConfiguration(`${config.SECTION}.${p}`),
      );
      clients.sync(changed);
      if (e.affectsConfiguration(`${config.SECTION}.scrollback`))
        hub.scrollback = config.scrollback();
      viewSettingsChanged.fire();
    }),
  );

  clients.sync();
  // SecretStorage reads are local; not awaited so activation stays fast.
  void tokens.load().then(() => {
    statusItem.update();
    walkthrough.update();
  });
  void offerWalkthroughOnce({
    globalState: context.globalState,
    anyEnabled: () => hub.aggregate.enabled > 0,
  });
  if (config.connectOnStartup()) hub.connectAll();

  const activationTimeMs = performance.now() - started;
  log.info(`activated in ${activationTimeMs.toFixed(1)} ms`);
  return {
    activationTimeMs,
    messages: () => hub.messages,
    statuses: () => hub.statuses,
    hasStoredToken: async (platform) => (await tokens.get(platform)) !== undefined,
    highlights: () => highlights.summaries(),
    screenGuard: () => ({ status: screenGuard.status, masksOf: (uri) => screenGuard.masksOf(uri) }),
    codeReferences: (platform, messageId) => codeRefs.referencesOf(platform, messageId),
    openCodeReference: (id) => codeRefs.open(id),
    threads: () => threads.summaries(),
    replyInThread: (id, text) => threads.reply(id, text),
  };
}

export function deactivate(): void {
  // Everything is on context.subscriptions.
}
