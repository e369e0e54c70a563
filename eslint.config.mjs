// typescript-eslint over the whole tree, plus the layering rules (the README's Architecture) as
// no-restricted-imports: a wrong import between layers is a lint error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

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
  {
    files: ['src/core/**'],
    rules: restrict(['vscode', 'ws', 'node:*', '../platforms/*', '../ui/*', '../protocol/*']),
  },
  {
    files: ['src/screen/**'],
    rules: restrict(['vscode', 'ws', 'node:*', '../platforms/*', '../ui/*', '../protocol/*']),
  },
  { files: ['src/platforms/**'], rules: restrict(['vscode', '**/ui/*', '**/webview/*']) },
  { files: ['src/protocol/**'], rules: restrict(['vscode', '**/platforms/*', '**/ui/*']) },
  // The code-reference parsers, the index and the chat-command rules are pure; only their VS Code edges may import vscode.
  {
    files: ['src/code/references.ts', 'src/code/fileIndex.ts', 'src/code/chatCommands.ts'],
    rules: restrict(['vscode', 'ws', 'node:*', '**/ui/*', '**/platforms/*', '**/webview/*']),
  },
  { files: ['src/ui/**'], rules: restrict(['**/platforms/*', '**/webview/*']) },
  { files: ['webview/**'], rules: restrict(['vscode', 'node:*', '**/platforms/*', '**/ui/*']) },
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
