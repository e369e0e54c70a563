// typescript-eslint over the whole tree, plus the layering rules (the README's Architecture) as
// no-restricted-imports: a wrong import between layers is a lint error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
/** Import patterns for whole folders of the tree (the folder and anything inside it). */
const folders = (...names) => names.flatMap((name) => [`**/${name}`, `**/${name}/**`]);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      '.rig/**',
      'node_modules/**',
      '**/*.d.ts',
      'test-results/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
        fetch: 'readonly',
        AbortController: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='innerHTML']",
          message: 'Chat text is hostile: build DOM nodes and use textContent.',
        },
        {
          selector: "MemberExpression[property.name='outerHTML']",
          message: 'Chat text is hostile: build DOM nodes and use textContent.',
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'Chat text is hostile: build DOM nodes.',
        },
      ],
    },
  },
  // One layer per folder of src/; each says what its files may not import. The arrows that remain:
  // everything → core; protocol → core; send → core and each platform's index; screen → send; code → core, protocol, send;
  // ui → all but platforms; the root files (the composition root) → everything in src/.
  {
    files: ['src/core/**'],
    rules: restrict([
      'vscode',
      'ws',
      'node:*',
      ...folders('platforms', 'ui', 'protocol', 'code', 'send', 'screen'),
    ]),
  },
  {
    files: ['src/protocol/**'],
    rules: restrict([
      'vscode',
      'ws',
      'node:*',
      ...folders('platforms', 'ui', 'code', 'send', 'screen'),
    ]),
  },
  // send reads each platform's outgoing rules through that platform's index, and nothing deeper.
  {
    files: ['src/send/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'ws', 'node:*', ...folders('ui', 'protocol', 'code', 'screen')] },
            { regex: '(^|/)platforms/[^/]+/', message: "Only a platform's index is public." },
          ],
        },
      ],
    },
  },
  {
    files: ['src/screen/**'],
    rules: restrict(['vscode', 'ws', 'node:*', ...folders('platforms', 'ui', 'protocol', 'code')]),
  },
  {
    files: ['src/platforms/**'],
    rules: restrict(['vscode', ...folders('ui', 'webview', 'protocol', 'code', 'send', 'screen')]),
  },
  // The code-reference parsers, the index, the chat-command and `!line` rules are pure; only the
  // VS Code edges (git, the workspace index, the reference controller) may import vscode.
  {
    files: ['src/code/**'],
    rules: restrict(folders('ui', 'platforms', 'webview', 'screen')),
  },
  {
    files: [
      'src/code/references.ts',
      'src/code/fileIndex.ts',
      'src/code/chatCommands.ts',
      'src/code/lineCommand.ts',
    ],
    rules: restrict([
      'vscode',
      'ws',
      'node:*',
      ...folders('ui', 'platforms', 'webview', 'protocol', 'send', 'screen'),
    ]),
  },
  { files: ['src/ui/**'], rules: restrict(folders('platforms', 'webview')) },
  // The composition root: builds everything, so it may import all of src/ but not the page.
  {
    files: ['src/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: folders('webview', 'test') },
            { regex: '(^|/)platforms/[^/]+/', message: "Only a platform's index is public." },
          ],
        },
      ],
    },
  },
  {
    files: ['webview/**'],
    rules: restrict(['vscode', 'node:*', ...folders('platforms', 'ui', 'code', 'send', 'screen')]),
  },
  {
    files: ['test/simulators/**'],
    rules: restrict(['**/src/*', '../../src/**', '../../../src/**']),
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Formatting belongs to Prettier (.prettierrc.json); this turns off the lint rules it would fight.
  prettier,
);
