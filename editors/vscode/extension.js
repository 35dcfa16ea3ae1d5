// The Mesh extension: starts `meshc lsp` (the path is the `mesh.server.path` setting) as a
// language server over stdio for .mpl files.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("mesh").get("server.path", "meshc");
  const serverOptions = {
    run: { command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command, args: ["lsp"], transport: TransportKind.stdio },
  };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "mesh" }],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.mpl,mesh.toml}"),
    },
  };
  client = new LanguageClient("mesh", "Mesh language server", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
