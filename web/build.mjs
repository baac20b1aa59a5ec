// Builds the static site into target/static (Maven puts it in the jar under static/, Spring Boot serves it):
// our pages as they are, plus the prebuilt LHC-Forms web component from node_modules/lforms/dist.
// Then checks that no page loads anything from another host.
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, process.argv[2] ?? 'target/static');
const lforms = path.join(here, 'node_modules/lforms');

// What the LHC-Forms README says a page needs (lhc-forms.js = runtime + polyfills + main), R4 support only.
const LFORMS_FILES = [
  'webcomponent/assets/lib/zone.min.js',
  'webcomponent/lhc-forms.js',
  'webcomponent/styles.css',
  'webcomponent/down_arrow_gray_10_10.png',
  'webcomponent/magnifying_glass.png',
  'fhir/R4/lformsFHIR.min.js',
  'LICENSE.md',
];

await rm(out, { recursive: true, force: true });
await cp(path.join(here, 'src'), out, { recursive: true });
for (const f of LFORMS_FILES) {
  await mkdir(path.dirname(path.join(out, 'app/lforms', f)), { recursive: true });
  await cp(path.join(lforms, 'dist/lforms', f), path.join(out, 'app/lforms', f));
}

const version = JSON.parse(await readFile(path.join(lforms, 'package.json'), 'utf8')).version;
const problems = await externalLoads(out);
if (problems.length) {
  console.error('The built site would load assets from another host:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log(`web: built ${path.relative(here, out)} with LHC-Forms ${version}`);

/** Places where a built file would fetch from another host at run time. URLs that are only identifiers are fine. */
async function externalLoads(dir) {
  const rules = [
    // HTML: scripts, styles, images, frames, form targets (and links: the pages link only to this server)
    [/\.html$/, /\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?\/\//gi],
    // CSS: url() and @import
    [/\.(?:css|html)$/, /(?:url\(\s*["']?|@import\s+["']?)(?:https?:)?\/\//gi],
    // any file: the usual CDNs and the hosts LHC-Forms is published on
    [/\.(?:html|css|m?js)$/, /\b(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|ajax\.googleapis\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|code\.jquery\.com|lhcforms-static\.nlm\.nih\.gov|clinicaltables\.nlm\.nih\.gov\/lforms-versions)\b/gi],
  ];
  const found = [];
  for (const file of await files(dir)) {
    const text = await readFile(file, 'utf8');
    for (const [applies, pattern] of rules) {
      if (!applies.test(file)) continue;
      for (const m of text.matchAll(pattern)) {
        found.push(`${path.relative(dir, file)}: ${text.slice(Math.max(0, m.index - 40), m.index + 80).replace(/\s+/g, ' ')}`);
      }
    }
  }
  return found;
}

async function files(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter(e => e.isFile()).map(e => path.join(e.parentPath ?? e.path, e.name));
}
