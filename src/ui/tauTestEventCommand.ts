import * as vscode from 'vscode';

/** One test event type offered in the picker. */
export interface TestEventType {
  readonly type: string;
  readonly label: string;
  readonly description: string;
  /** An EventSub-shaped body with plausible values, for the given broadcaster when known. */
  sample(broadcaster?: { id: string; login: string; name: string }): Record<string, unknown>;
}

/** What the command needs from the TAU platform (wired by the composition root). */
export interface TauTestEvents {
  readonly types: readonly TestEventType[];
  /** POSTs the event to TAU's test endpoint; rejects with a sentence fit to show. */
  post(eventType: string, data: Record<string, unknown>): Promise<unknown>;
  /** The broadcaster via the Helix passthrough, when reachable (best effort). */
  broadcaster(): Promise<{ id: string; login: string; name: string } | undefined>;
  /** Whether TAU is enabled in settings. */
  isEnabled(): boolean;
}

/** Arguments through `executeCommand`: `{ eventType, data? }` sends without prompts. */
export interface SendTestEventArgs {
  readonly eventType?: string;
  readonly data?: Record<string, unknown>;
}

const EDIT = vscode.l10n.t('Edit JSON first…');
const SEND = vscode.l10n.t('Send');

/**
 * `Send TAU Test Event…`: pick a type (with descriptions), optionally edit the JSON body in an
 * untitled editor, then POST it to TAU's test endpoint. The event then arrives on the events
 * socket like a live one, marked as a test.
 */
export function registerTauTestEventCommand(events: TauTestEvents): vscode.Disposable {
  return vscode.commands.registerCommand(
    'streamChat.sendTauTestEvent',
    async (args?: SendTestEventArgs) => {
      if (!events.isEnabled()) {
        const message = 'TAU is not enabled (setting streamChat.tau.enabled).';
        if (args?.eventType) throw new Error(message);
        void vscode.window.showErrorMessage(vscode.l10n.t('Stream Chat: {0}', message));
        return false;
      }
      if (args?.eventType) {
        const known = events.types.find((t) => t.type === args.eventType);
        const data =
          args.data ?? known?.sample(await events.broadcaster().catch(() => undefined)) ?? {};
        await events.post(args.eventType, data);
        return true;
      }
      const picked = await vscode.window.showQuickPick(
        events.types.map((t) => ({
          label: t.label,
          description: t.type,
          detail: t.description,
          eventType: t,
        })),
        {
          title: vscode.l10n.t('Stream Chat: Send TAU Test Event'),
          placeHolder: vscode.l10n.t('Event type'),
          matchOnDescription: true,
          matchOnDetail: true,
        },
      );
      if (!picked) return false;
      const broadcaster = await events.broadcaster().catch(() => undefined);
      let data = picked.eventType.sample(broadcaster);
      const how = await vscode.window.showQuickPick([SEND, EDIT], {
        title: vscode.l10n.t('Send {0}', picked.label),
        placeHolder: vscode.l10n.t('Send the sample now, or edit its JSON first'),
      });
      if (!how) return false;
      if (how === EDIT) {
        const edited = await editJson(data, picked.eventType.type);
        if (!edited) return false;
        data = edited;
      }
      try {
        await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: vscode.l10n.t('Sending TAU test event {0}…', picked.eventType.type),
          },
          () => events.post(picked.eventType.type, data),
        );
        void vscode.window.setStatusBarMessage(
          `$(beaker) TAU test event ${picked.eventType.type} sent`,
          3000,
        );
        return true;
      } catch (error) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Stream Chat: {0}', error instanceof Error ? error.message : String(error)),
        );
        return false;
      }
    },
  );
}

/** Opens the body as JSON in an untitled editor; resolves with the edited object when the user confirms. */
async function editJson(
  data: Record<string, unknown>,
  eventType: string,
): Promise<Record<string, unknown> | undefined> {
  const document = await vscode.workspace.openTextDocument({
    language: 'json',
    content: JSON.stringify(data, null, 2),
  });
  await vscode.window.showTextDocument(document, { preview: true });
  for (;;) {
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Edit the {0} test event, then send it.', eventType),
      SEND,
      vscode.l10n.t('Cancel'),
    );
    if (choice !== SEND) return undefined;
    try {
      const parsed: unknown = JSON.parse(document.getText());
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('the body must be a JSON object');
      return parsed as Record<string, unknown>;
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Stream Chat: the JSON is not valid ({0}).',
          error instanceof Error ? error.message : String(error),
        ),
      );
    }
  }
}
