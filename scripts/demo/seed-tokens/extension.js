// Demo only. Reads the simulators' tokens from a file the demo script wrote (never settings) and
// stores each through `streamChat.setToken`, the same command a streamer runs from the palette;
// then connects, opens the chat and puts src/app.ts in the editor, ready for Send Selection.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

module.exports.activate = async function activate() {
  const file = path.join(__dirname, 'demo-tokens.json');
  if (!fs.existsSync(file)) return;
  const tokens = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [platform, token] of Object.entries(tokens)) {
    await vscode.commands.executeCommand('streamChat.setToken', { platform, token });
  }
  await vscode.commands.executeCommand('streamChat.connect');
  await vscode.commands.executeCommand('streamChat.openChat');
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) {
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(folder.uri, 'src/app.ts'),
    );
    await vscode.window.showTextDocument(document, { preview: false });
  }
};
module.exports.deactivate = function deactivate() {};
