// The theme the highlighter tokenizes with. Its colours are not colours but CSS variables
// (`var(--r-tok-keyword)`): review.css gives them VS Code's Dark+ / Light+ / high-contrast token
// colours by the body class VS Code sets (vscode-light, vscode-dark, vscode-high-contrast[-light]),
// so the diff follows the current theme kind and switching themes needs no new tokenizing.
// Scopes follow VS Code's default themes (dark_vs/dark_plus, light_vs/light_plus, hc_black/hc_light).
import type { ThemeRegistration } from 'shiki/core';

/** Token kinds, each a CSS variable `--r-tok-<kind>` and a class `r-tok-<kind>`. */
export const TOKEN_KINDS = ['comment', 'string', 'regexp', 'number', 'keyword', 'control', 'function', 'type', 'variable', 'constant', 'tag', 'attribute', 'property', 'heading'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

const v = (kind: TokenKind) => `var(--r-tok-${kind})`;
const FOREGROUND = 'var(--r-tok-foreground)';

export const VSCODE_TOKEN_THEME: ThemeRegistration = {
  name: 'rusty-vscode',
  type: 'dark',
  colors: { 'editor.foreground': FOREGROUND, 'editor.background': 'var(--r-tok-background)' },
  tokenColors: [
    { settings: { foreground: FOREGROUND } },
    { scope: ['comment', 'punctuation.definition.comment'], settings: { foreground: v('comment') } },
    { scope: ['string', 'string.template', 'punctuation.definition.string', 'markup.inline.raw', 'markup.fenced_code'], settings: { foreground: v('string') } },
    { scope: ['string.regexp', 'constant.character.escape', 'constant.regexp'], settings: { foreground: v('regexp') } },
    { scope: ['constant.numeric', 'keyword.other.unit', 'constant.other.color'], settings: { foreground: v('number') } },
    {
      scope: [
        'keyword',
        'storage',
        'storage.type',
        'storage.modifier',
        'constant.language',
        'variable.language',
        'keyword.operator.new',
        'keyword.operator.expression',
        'keyword.operator.cast',
        'keyword.operator.sizeof',
        'keyword.operator.logical.python',
        'punctuation.definition.template-expression',
        'punctuation.section.embedded',
        'entity.name.tag.css',
        'meta.selector',
      ],
      settings: { foreground: v('keyword') },
    },
    { scope: ['keyword.control', 'keyword.operator.expression.import', 'keyword.operator.expression.typeof'], settings: { foreground: v('control') } },
    { scope: ['keyword.operator', 'punctuation', 'meta.brace'], settings: { foreground: FOREGROUND } },
    { scope: ['entity.name.function', 'support.function', 'meta.function-call.generic', 'support.constant.handlebars'], settings: { foreground: v('function') } },
    {
      scope: ['entity.name.type', 'entity.name.class', 'entity.name.namespace', 'entity.name.scope-resolution', 'entity.other.inherited-class', 'support.class', 'support.type', 'support.class.component'],
      settings: { foreground: v('type') },
    },
    {
      scope: ['variable', 'meta.definition.variable.name', 'support.variable', 'entity.name.variable', 'variable.parameter', 'variable.other.readwrite', 'meta.object-literal.key'],
      settings: { foreground: v('variable') },
    },
    { scope: ['variable.other.constant', 'variable.other.enummember', 'support.constant'], settings: { foreground: v('constant') } },
    { scope: ['entity.name.tag', 'punctuation.definition.tag'], settings: { foreground: v('tag') } },
    { scope: ['entity.other.attribute-name', 'entity.other.attribute-name.class.css', 'entity.other.attribute-name.id.css'], settings: { foreground: v('attribute') } },
    { scope: ['support.type.property-name', 'support.type.property-name.json', 'support.type.vendored.property-name'], settings: { foreground: v('property') } },
    { scope: ['markup.heading', 'markup.heading entity.name', 'markup.bold'], settings: { foreground: v('heading'), fontStyle: 'bold' } },
    { scope: ['markup.italic'], settings: { fontStyle: 'italic' } },
  ],
};

/** `var(--r-tok-keyword)` → `r-tok-keyword`; the foreground (and anything else) → ''. */
export function tokenClass(color: string | undefined): string {
  const m = color ? /^var\(--r-tok-([a-z]+)\)$/.exec(color) : null;
  return m && (TOKEN_KINDS as readonly string[]).includes(m[1]!) ? `r-tok-${m[1]}` : '';
}
