// PDF rendering for the verification page: pdf.js is loaded only when a PDF is shown, with its worker and font
// data from /vendor/, where kyso serve-verify serves the installed pdfjs-dist package (nothing when it is not
// installed: the page then verifies without showing pages). The bytes are handed over as copies (pdf.js detaches
// what it is given).

let pdfjs;
const vendor = new URL('./vendor/', import.meta.url).href;

/** pdf.js, loaded on first use; without it, an error whose code is NO_PDFJS. */
function loadPdfjs() {
  pdfjs ??= import('./vendor/pdf.min.mjs').then(
    (lib) => {
      lib.GlobalWorkerOptions.workerSrc = `${vendor}pdf.worker.min.mjs`;
      return lib;
    },
    (cause) => {
      throw Object.assign(new Error('pdf.js is not available', { cause }), { code: 'NO_PDFJS' });
    },
  );
  return pdfjs;
}

/** Opens `bytes` (not consumed) with pdf.js. */
export async function openPdf(bytes) {
  const lib = await loadPdfjs();
  return lib.getDocument({
    data: bytes.slice(),
    standardFontDataUrl: `${vendor}standard_fonts/`,
    cMapUrl: `${vendor}cmaps/`,
    cMapPacked: true,
    wasmUrl: `${vendor}wasm/`,
    isEvalSupported: false,
    enableXfa: false,
  }).promise;
}

/** Where each signature field's widget is: field name → { page (0-based), rect (PDF units) }, for those on a page. */
export async function signatureWidgets(doc) {
  const fields = (await doc.getFieldObjects().catch(() => null)) ?? {};
  const pages = new Map();
  for (const [name, objects] of Object.entries(fields)) {
    for (const o of objects) if (o.type === 'signature' && o.page >= 0) pages.set(name, o.page);
  }
  const widgets = new Map();
  for (const pageIndex of new Set(pages.values())) {
    const page = await doc.getPage(pageIndex + 1);
    for (const a of await page.getAnnotations()) {
      if (a.fieldType !== 'Sig' || !pages.has(a.fieldName)) continue;
      const [x1, y1, x2, y2] = a.rect;
      if (Math.abs(x2 - x1) < 1 || Math.abs(y2 - y1) < 1) continue; // an invisible signature
      widgets.set(a.fieldName, { page: pageIndex, rect: a.rect });
    }
  }
  return widgets;
}

/**
 * A page of `doc` drawn into `container` at `width` CSS pixels, with `outlines` ({ rect, label, tone, index })
 * laid over it. Returns the page's element.
 */
export async function renderPage(doc, pageNumber, { width, outlines = [] }) {
  const page = await doc.getPage(pageNumber);
  const unscaled = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: width / unscaled.width });
  const ratio = window.devicePixelRatio || 1;
  const box = document.createElement('div');
  box.className = 'page';
  box.style.width = `${viewport.width}px`;
  box.style.height = `${viewport.height}px`;
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${viewport.width}px`;
  canvas.style.height = `${viewport.height}px`;
  box.append(canvas);
  await page.render({
    canvas,
    canvasContext: canvas.getContext('2d'),
    viewport,
    transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
  }).promise;
  for (const o of outlines) {
    const [x1, y1, x2, y2] = viewport.convertToViewportRectangle(o.rect);
    const mark = document.createElement('div');
    mark.className = `outline tone-${o.tone}`;
    mark.dataset.signature = String(o.index);
    mark.style.left = `${Math.min(x1, x2)}px`;
    mark.style.top = `${Math.min(y1, y2)}px`;
    mark.style.width = `${Math.abs(x2 - x1)}px`;
    mark.style.height = `${Math.abs(y2 - y1)}px`;
    const tag = document.createElement('span');
    tag.textContent = o.label;
    mark.append(tag);
    box.append(mark);
  }
  page.cleanup();
  return box;
}

/** Page boxes for every page of `doc`, each drawn when it scrolls near the view (a 300-page file costs one page's work up front). */
export async function renderDocument(doc, container, { width, outlinesOf }) {
  const first = await doc.getPage(1);
  const unscaled = first.getViewport({ scale: 1 });
  const height = (width / unscaled.width) * unscaled.height;
  const observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting || e.target.dataset.drawn) continue;
        e.target.dataset.drawn = 'pending';
        observer.unobserve(e.target);
        const n = Number(e.target.dataset.page);
        renderPage(doc, n, { width, outlines: outlinesOf(n - 1) }).then(
          (page) => {
            e.target.replaceWith(page);
            page.dataset.page = String(n);
            page.dataset.drawn = 'yes';
            performance.mark('kyso:page-drawn');
          },
          () => e.target.classList.add('failed'),
        );
      }
    },
    { root: null, rootMargin: '600px 0px' },
  );
  for (let n = 1; n <= doc.numPages; n++) {
    const slot = document.createElement('div');
    slot.className = 'page placeholder';
    slot.dataset.page = String(n);
    slot.style.width = `${width}px`;
    slot.style.height = `${height}px`;
    container.append(slot);
    observer.observe(slot);
  }
  return observer;
}
