// ESLint for the checker's plain ES modules (docs/javascripts/checker). Run: scripts/lint-js.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      // One statement per line; no comma-joined or `&&`-as-statement tricks.
      "no-sequences": ["error", { allowInParentheses: false }],
      "no-unused-expressions": ["error", { enforceForJSX: false }],
      "max-statements-per-line": ["error", { max: 1 }],
      "one-var": ["error", "never"],
      "curly": ["error", "all"],
      // Readable at a glance: short lines, small functions, full names.
      "max-len": ["error", { code: 120, ignoreUrls: true }],
      "max-lines-per-function": ["error", { max: 50, skipBlankLines: true, skipComments: true }],
      "max-params": ["error", 5],
      "complexity": ["error", 10],
      "id-length": ["error", { min: 2 }],
      "no-nested-ternary": "off",
      "eqeqeq": ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-param-reassign": ["error", { props: false }],
      "no-implicit-coercion": "error",
      "default-param-last": "error",
    },
  },
];
