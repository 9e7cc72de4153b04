// SPDX-License-Identifier: MIT
// pdfjs-check.js — load a PDF with pdf.js (Firefox's viewer) under node and
// print what a reader uses: pages, title, language, PDF/A part, page
// labels, bookmarks and 目录 links with the pages they resolve to, and every
// warning pdf.js gives.  Not part of the test suite (pdf.js is not a
// Debian package); run by hand, see docs/PDF.md:
//
//   cd "$(mktemp -d)" && npm install pdfjs-dist@3.11.174
//   NODE_PATH=$PWD/node_modules node /path/to/scripts/pdfjs-check.js out.pdf
//
// Exits 1 if the file does not load, a bookmark or link does not resolve
// to a page, or pdf.js warns about the file.  (Loading, pdf.js says it
// cannot polyfill DOMMatrix and Path2D: node has no canvas; any file.)
const warnings = [];
console.warn = (...a) => {
  const text = a.join(' ');
  if (!/Cannot polyfill `(DOMMatrix|Path2D)`/.test(text))
    warnings.push(text);
};
const pdfjs = require('pdfjs-dist/legacy/build/pdf.js');
const fs = require('fs');

async function pageOf(doc, dest) {
  const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : dest;
  if (!explicit)
    return -1;
  return doc.getPageIndex(explicit[0]).then(i => i + 1, () => -1);
}

(async () => {
  const data = new Uint8Array(fs.readFileSync(process.argv[2]));
  const doc = await pdfjs.getDocument({data, verbosity: 1}).promise;
  const md = await doc.getMetadata();
  const labels = (await doc.getPageLabels()) || [];
  console.log(`pages ${doc.numPages}; title ${md.info.Title}; lang ${md.info.Language}; ` +
              `pdfaid:part ${md.metadata ? md.metadata.get('pdfaid:part') : '-'}; ` +
              `labels ${labels.slice(0, 5).join(',')}…`);
  let bookmarks = 0, unresolved = 0;
  const walk = async items => {
    for (const it of items || []) {
      bookmarks++;
      if ((await pageOf(doc, it.dest)) < 0)
        unresolved++;
      await walk(it.items);
    }
  };
  await walk(await doc.getOutline());
  let links = 0, deadLinks = 0;
  const sample = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    for (const a of await page.getAnnotations()) {
      if (a.subtype !== 'Link')
        continue;
      links++;
      const target = a.dest ? await pageOf(doc, a.dest) : -1;
      if (target < 0)
        deadLinks++;
      else if (sample.length < 4)
        sample.push(`p${i}→p${target}`);
    }
    await page.getTextContent();
  }
  console.log(`bookmarks ${bookmarks} (${unresolved} unresolved); links ${links} ` +
              `(${deadLinks} without a page: ${sample.join(' ')} …); warnings ${warnings.length}`);
  for (const w of warnings)
    console.log(`warning: ${w}`);
  process.exit(unresolved || deadLinks || warnings.length ? 1 : 0);
})().catch(e => {
  console.log(`error: ${e}`);
  process.exit(1);
});
