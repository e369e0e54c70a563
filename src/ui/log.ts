import * as vscode from 'vscode';
import { Logger, SecretRegistry } from '../core/log';

/**
 * The extension's one log: a `LogOutputChannel` named "Stream Chat" behind the redactor, so
 * every line, from any module, loses tokens, authkeys and Authorization values before it is written.
 */
export function createLog(secrets: SecretRegistry): {
  channel: vscode.LogOutputChannel;
  log: Logger;
} {
  const channel = vscode.window.createOutputChannel('Stream Chat', { log: true });
  const log: Logger = {
    trace: (m) => channel.trace(secrets.redact(m)),
    debug: (m) => channel.debug(secrets.redact(m)),
    info: (m) => channel.info(secrets.redact(m)),
    warn: (m) => channel.warn(secrets.redact(m)),
    error: (m) => channel.error(secrets.redact(m)),
  };
  return { channel, log };
}
