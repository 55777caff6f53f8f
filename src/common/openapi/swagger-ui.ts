import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The files of swagger-ui-dist that the page at /docs loads, and their types. */
const DIST_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Runs in the browser: the document sits beside the page's folder, wherever the service is mounted. */
const INITIALIZER = `window.onload = function () {
  var documentUrl = new URL(location.pathname.endsWith('/') ? '../openapi.json' : 'openapi.json', location.href);
  window.ui = SwaggerUIBundle({
    url: documentUrl.href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
};
`;

export interface Asset {
  type: string;
  body: string | Buffer;
}

/** The interactive page: Swagger UI, served from this service's own copy (no CDN). */
export function docsPage(requestPath: string): string {
  // Relative to the page, so the links hold behind a proxy that mounts the service under a prefix.
  const base = requestPath.split('?')[0]?.endsWith('/') ? './' : './docs/';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Identity user service API</title>
  <link rel="stylesheet" href="${base}swagger-ui.css">
  <link rel="icon" type="image/png" href="${base}favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}swagger-ui-bundle.js"></script>
  <script src="${base}swagger-initializer.js"></script>
</body>
</html>
`;
}

const distFolder = () => dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const cache = new Map<string, Promise<Asset>>();

/** One of the page's files, read on first use and kept in memory; undefined for any other name. */
export function docsAsset(name: string): Promise<Asset> | undefined {
  if (name === 'swagger-initializer.js') return Promise.resolve({ type: 'text/javascript; charset=utf-8', body: INITIALIZER });
  const type = DIST_FILES[name];
  if (!type) return undefined;
  let asset = cache.get(name);
  if (!asset) {
    asset = readFile(join(distFolder(), name)).then((body) => ({ type, body }));
    cache.set(name, asset);
  }
  return asset;
}
