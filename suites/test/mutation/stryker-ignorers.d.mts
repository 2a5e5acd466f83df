// Types of the ignorer plugins (stryker-ignorers.mjs is loaded by StrykerJS as plain JavaScript).
export declare const strykerPlugins: readonly { readonly kind: string; readonly name: string; readonly value: { shouldIgnore(path: unknown): string | undefined } }[];
