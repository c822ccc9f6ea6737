// @ts-check
/**
 * An ESLint rule that holds the domain map (DESIGN.md) in the code: imports between the folders of src/
 * point down the map, never up or sideways, and a module reaches another only through its public surface.
 *
 * Options: `layers`, the folders of src/ from the bottom of the map up, each layer a list of folders (a
 * file directly in src/ belongs to the folder named `app`); `publicSurface`, patterns of the file paths,
 * relative to a module's folder, that other modules may import. Within one folder anything goes. A folder
 * may import a folder of a lower layer only: never one of its own layer, never a higher one. The bottom
 * layer (the kernel) is everyone's, whole; every other folder is reached through its public surface only.
 */
import path from 'node:path';

/** @type {import('eslint').Rule.RuleModule} */
const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the domain map: downward only, through public surfaces.' },
    schema: [
      {
        type: 'object',
        properties: {
          layers: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          publicSurface: { type: 'array', items: { type: 'string' } },
        },
        required: ['layers', 'publicSurface'],
        additionalProperties: false,
      },
    ],
    messages: {
      upward: '{{from}} may not import {{to}}: {{to}} is above it on the domain map (ask through a port).',
      sideways: '{{from}} may not import {{to}}: they are on the same layer of the domain map.',
      unknown: '{{folder}} is not on the domain map: add it to the layers in eslint.config.js.',
      private: '{{from}} may import only the public surface of {{to}} ({{surface}}), not {{file}}.',
    },
  },
  create(context) {
    const { layers, publicSurface } = /** @type {{ layers: string[][], publicSurface: string[] }} */ (
      context.options[0]
    );
    const surface = publicSurface.map((pattern) => new RegExp(`^${pattern}$`));
    const srcDir = path.join(context.cwd, 'src');
    const fromFile = path.resolve(context.cwd, context.filename);
    const from = folderOf(srcDir, fromFile);
    if (from === null) return {};
    const layerOf = (/** @type {string} */ folder) => layers.findIndex((layer) => layer.includes(folder));

    /** @param {import('estree').Node & { source?: unknown }} node */
    function check(node) {
      const source = /** @type {{ value?: unknown } | null | undefined} */ (node.source);
      if (typeof source?.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.resolve(path.dirname(fromFile), source.value).replace(/\.js$/, '.ts');
      const to = folderOf(srcDir, target);
      if (to === null || to === from) return;
      for (const folder of [from, to]) {
        if (layerOf(folder) < 0) {
          context.report({ node, messageId: 'unknown', data: { folder } });
          return;
        }
      }
      const data = { from, to };
      if (layerOf(to) > layerOf(from)) context.report({ node, messageId: 'upward', data });
      else if (layerOf(to) === layerOf(from)) context.report({ node, messageId: 'sideways', data });
      else if (layerOf(to) > 0) {
        const file = path.relative(path.join(srcDir, to), target).split(path.sep).join('/');
        if (!surface.some((pattern) => pattern.test(file))) {
          context.report({ node, messageId: 'private', data: { ...data, file, surface: publicSurface.join(', ') } });
        }
      }
    }

    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

/** The folder of src/ a file is in (`app` for a file directly in src/), or null outside src/. */
function folderOf(/** @type {string} */ srcDir, /** @type {string} */ file) {
  const relative = path.relative(srcDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const parts = relative.split(path.sep);
  return parts.length === 1 ? 'app' : /** @type {string} */ (parts[0]);
}

export default { rules: { 'module-boundaries': moduleBoundaries } };
