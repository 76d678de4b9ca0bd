// Lint of the sidebar's TypeScript (`jlpm eslint:check`), as jupyterlab/extension-template
// does: typescript-eslint's recommended rules, interfaces named I..., formatting left to
// prettier (`jlpm prettier:check`).
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'lib/',
      'node_modules/',
      'mastery_nb/',
      'release/',
      'autograder/',
      'courses/',
      'tests/',
      'benchmarks/',
      '.yarn/',
      'style/index.js',
      'src/documents.ts'
    ]
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'interface', format: ['PascalCase'], custom: { regex: '^I[A-Z]', match: true } }
      ],
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      curly: ['error', 'all'],
      eqeqeq: ['error', 'smart'],
      'prefer-arrow-callback': 'error'
    }
  },
  prettier
);
