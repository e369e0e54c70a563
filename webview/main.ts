// Entry point of the chat webview (bundled by esbuild as an IIFE; loaded with the page's nonce).
import { VsCodeApi, boot } from './boot';
import { registerComponents } from './components/register';

declare function acquireVsCodeApi(): VsCodeApi;

registerComponents();
boot(window, acquireVsCodeApi());
