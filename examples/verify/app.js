// The verification page: files are read and verified in this browser with kyso; nothing is uploaded.
// Reports are laid out from kyso's report catalogues (reportMessages), the page's own words from messages.js.
import { PAGE_MESSAGES } from './messages.js';

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return e;
};

// kyso itself loads right after the page shows: the drop zone works before it arrives
let kysoModule;
const kyso = () => (kysoModule ??= import('./kyso/browser.js'));
const viewer = () => import('./viewer.js');

const state = { lang: initialLanguage(), items: [], rootFile: undefined };

/** Vietnamese unless the address asks for English (`?lang=en`): the page is made for Vietnamese documents. */
function initialLanguage() {
  return new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'vi';
}

const t = () => PAGE_MESSAGES[state.lang];

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = `${t().title} — kyso`;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t()[node.dataset.i18n];
  for (const b of document.querySelectorAll('[data-lang]'))
    b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
}

const TONE = { TOTAL_PASSED: 'passed', INDETERMINATE: 'indeterminate', TOTAL_FAILED: 'failed' };
const ICON = { TOTAL_PASSED: '✓', INDETERMINATE: '?', TOTAL_FAILED: '✕' };

/** Pairs each .p7s/.tsr with the file it signs or time-stamps (its name without the extension). */
function groupFiles(files) {
  const byName = new Map(files.map((f) => [f.name, f]));
  const used = new Set();
  const groups = [];
  for (const f of files) {
    const m = /^(.*)\.(p7s|tsr)$/i.exec(f.name);
    if (!m) continue;
    const data = byName.get(m[1]);
    if (data) used.add(data);
    groups.push({ name: f.name, kind: m[2].toLowerCase() === 'p7s' ? 'cades' : 'timestamp', file: f, data });
  }
  for (const f of files)
    if (!used.has(f) && !/\.(p7s|tsr)$/i.test(f.name)) groups.push({ name: f.name, kind: 'auto', file: f });
  // in the order the files were given
  return groups.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
}

function sniff(bytes) {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.includes('%PDF-')) return 'pdf';
  if (/^(\uFEFF|ï»¿)?\s*</.test(head)) return 'xml';
  return 'unknown';
}

async function trustOption() {
  const choice = document.querySelector('input[name=trust]:checked').value;
  if (choice === 'vn') return 'vn';
  if (!state.rootFile) return undefined;
  return [new Uint8Array(await state.rootFile.arrayBuffer())];
}

async function verifyItem(item, lib) {
  const trust = await trustOption();
  const online = $('#online').checked;
  const options = { ...(trust && { trust }) };
  item.error = undefined;
  try {
    if (item.kind === 'cades' || item.kind === 'timestamp') {
      if (!item.data) throw Object.assign(new Error(t().missingData(item.name)), { code: 'MISSING_DATA' });
      const sig = new Uint8Array(await item.file.arrayBuffer());
      const data = new Uint8Array(await item.data.arrayBuffer());
      item.report =
        item.kind === 'cades'
          ? await lib.verifyDetached(data, sig, options)
          : await lib.verifyTimestamp(data, sig, options);
      return;
    }
    item.bytes ??= new Uint8Array(await item.file.arrayBuffer());
    item.type = sniff(item.bytes);
    if (item.type === 'pdf') item.report = await lib.verifyPdf(item.bytes, { ...options, online });
    else if (item.type === 'xml') item.report = await lib.verifyXml(item.bytes, options);
    else throw Object.assign(new Error(t().unsupported), { code: 'UNSUPPORTED' });
  } catch (e) {
    item.report = undefined;
    item.error = { code: e.code ?? 'ERROR', message: e.message };
  }
}

async function verifyAll() {
  const results = $('#results');
  document.body.dataset.state = 'verifying';
  $('#status').textContent = t().verifying;
  const choice = document.querySelector('input[name=trust]:checked').value;
  if (choice === 'own' && !state.rootFile) $('#status').textContent = t().trustOwnMissing;
  const lib = await kyso();
  for (const item of state.items) await verifyItem(item, lib);
  $('#status').textContent = '';
  results.replaceChildren(...state.items.map((item) => renderItem(item, lib)));
  document.body.dataset.state = 'done';
  performance.mark('kyso:verdict');
  for (const item of state.items) if (item.type === 'pdf' && item.report) showPdfOrSayWhy(item);
}

/** The pages of a verified PDF, or a line saying why they cannot be shown (the verdict stands either way). */
function showPdfOrSayWhy(item) {
  return showPdf(item).catch((e) =>
    item.viewerBox?.replaceChildren(
      el(
        'p',
        { class: 'muted', dataset: { role: e?.code === 'NO_PDFJS' ? 'no-viewer' : 'render-failed' } },
        e?.code === 'NO_PDFJS' ? t().noViewer : t().renderFailed,
      ),
    ),
  );
}

function rerender() {
  applyLanguage();
  if (!kysoModule || !state.items.length) return;
  kysoModule.then((lib) => {
    $('#results').replaceChildren(...state.items.map((item) => renderItem(item, lib)));
    for (const item of state.items) if (item.type === 'pdf' && item.report) showPdfOrSayWhy(item);
  });
}

function badge(indication, words) {
  return el(
    'span',
    { class: `badge tone-${TONE[indication]}` },
    el('span', { class: 'icon', 'aria-hidden': 'true' }, ICON[indication]),
    words[indication],
  );
}

function field(label, ...value) {
  return [el('dt', {}, label), el('dd', {}, ...value)];
}

const vnIds = (taxCode, citizenId) =>
  [taxCode && `MST ${taxCode}`, citizenId && `CCCD ${citizenId}`].filter(Boolean).join(' · ');
const commonName = (subject) => /(?:^|,)CN=((?:\\.|[^,\\])*)/.exec(subject)?.[1]?.replace(/\\(.)/g, '$1') ?? subject;

function signerField(m, name, ids, org) {
  return field(
    m.label.signer,
    el('strong', {}, name),
    ids && el('span', { class: 'ids' }, ids),
    org && el('span', { class: 'org' }, org),
  );
}

function why(m, s, changed) {
  if (s.indication === 'TOTAL_PASSED') return [];
  const text = changed ? m.changedAfterSigning : s.subIndication && m.subIndication[s.subIndication];
  return text ? [el('p', { class: `why tone-${TONE[s.indication]}` }, text)] : [];
}

function downloadButton(item) {
  const json = JSON.stringify(
    { file: item.name, ...(item.data && { data: item.data.name }), report: item.report ?? null, error: item.error },
    null,
    2,
  );
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  return el(
    'a',
    {
      class: 'button secondary',
      href: url,
      download: `${item.name}.kyso-report.json`,
      dataset: { role: 'download-json' },
    },
    t().downloadJson,
  );
}

function renderItem(item, lib) {
  const m = lib.reportMessages(state.lang);
  if (item.error) {
    return el(
      'article',
      { class: 'doc tone-failed', dataset: { file: item.name } },
      el(
        'header',
        { class: 'doc-head' },
        el('div', {}, el('h2', {}, item.name), el('p', { class: 'why tone-failed' }, item.error.message)),
        downloadButton(item),
      ),
    );
  }
  const r = item.report;
  const words = item.kind === 'timestamp' ? m.timestampVerdict : m.verdict;
  const kindLine =
    item.kind === 'cades'
      ? [t().detached, t().dataFile(item.data.name)]
      : item.kind === 'timestamp'
        ? [t().timestamp, t().dataFile(item.data.name)]
        : item.type === 'xml'
          ? [m.text.xmlHead({ signatures: r.signatures.length, ...(r.profile && { profile: r.profile }) })]
          : [t().signatures(r.signatures.length), t().revisions(r.revisions)];
  const head = el(
    'header',
    { class: 'doc-head' },
    el(
      'div',
      { class: 'doc-title' },
      badge(r.indication, words),
      el('h2', {}, item.name),
      el('p', { class: 'muted' }, kindLine.join(' · ')),
    ),
    downloadButton(item),
  );
  const body = el('div', { class: 'doc-body' });
  const cards = el('div', { class: 'cards' });
  body.append(cards);
  if (item.type === 'pdf') {
    if (!r.signatures.length) cards.append(el('p', { class: 'muted' }, t().noSignatures));
    for (const s of [...r.signatures, ...r.hiddenSignatures]) cards.append(pdfCard(m, item, s));
    item.viewerBox = el('div', { class: 'viewer', dataset: { role: 'viewer' } });
    body.append(item.viewerBox);
  } else if (item.type === 'xml') {
    r.signatures.forEach((s, i) => cards.append(xmlCard(m, s, i)));
  } else if (item.kind === 'cades') cards.append(detachedCard(m, r));
  else cards.append(timestampCard(m, r));
  const details = el(
    'details',
    { class: 'details' },
    el('summary', {}, t().details),
    el('pre', {}, lib.renderReport(r, { locale: state.lang, file: item.name })),
  );
  return el(
    'article',
    { class: `doc tone-${TONE[r.indication]}`, dataset: { file: item.name, indication: r.indication } },
    head,
    body,
    details,
  );
}

function pdfCard(m, item, s) {
  const tone = TONE[s.indication];
  const kind = s.hidden
    ? 'hidden'
    : s.kind === 'document-timestamp'
      ? 'document-timestamp'
      : s.certification
        ? 'certification'
        : 'signature';
  const changed = s.modifications?.verdict === 'not-permitted-changes';
  const dl = el('dl');
  if (s.signer) {
    const sub = s.signer.subject;
    dl.append(
      ...signerField(
        m,
        sub.commonName ?? sub.display,
        vnIds(sub.taxCode, sub.citizenId),
        sub.organization !== sub.commonName ? sub.organization : undefined,
      ),
    );
  }
  if (s.claimedSigningTime) dl.append(...field(m.label.signedAt, m.text.time(new Date(s.claimedSigningTime))));
  for (const ts of s.timestamps)
    if (ts.genTime)
      dl.append(
        ...field(
          m.label.timestamp,
          m.text.timestampLine({
            time: m.text.time(new Date(ts.genTime)),
            ...(ts.tsa && { tsa: ts.tsa }),
            valid: ts.valid,
          }),
        ),
      );
  if (s.reason) dl.append(...field(m.label.reason, s.reason));
  if (s.level) dl.append(...field(m.label.level, m.level[s.level]));
  if (s.modifications) {
    const notable = s.modifications.changes.filter((c) => c.status !== 'permitted');
    const permitted = [
      ...new Set(s.modifications.changes.filter((c) => c.status === 'permitted').map((c) => m.change[c.kind])),
    ];
    dl.append(
      ...field(
        m.label.coverage,
        el('span', { class: changed ? 'tone-text-failed' : '' }, m.coverage[s.modifications.verdict]),
        notable.length
          ? el(
              'ul',
              { class: 'changes' },
              notable.map((c) =>
                el(
                  'li',
                  { class: `change-${c.status}` },
                  m.text.change({
                    status: c.status,
                    kind: c.kind,
                    detail: c.detail,
                    ...(/"([^"]+)"/.exec(c.detail) && { field: /"([^"]+)"/.exec(c.detail)[1] }),
                  }),
                ),
              ),
            )
          : undefined,
        permitted.length
          ? el('p', { class: 'muted small' }, `${t().permittedChanges}: ${permitted.join('; ')}`)
          : undefined,
      ),
    );
  }
  const where = el('p', { class: 'where muted small', dataset: { role: 'where' } });
  const actions = el('div', { class: 'actions' });
  const end = s.byteRange ? s.byteRange[2] + s.byteRange[3] : undefined;
  if (end && s.revision !== undefined && s.revision + 1 < item.report.revisions) {
    actions.append(
      el(
        'button',
        {
          class: 'button',
          type: 'button',
          dataset: { role: 'view-signed', signature: String(s.index) },
          // without pdf.js the pages cannot be compared: the viewer's place says why
          onclick: () => compare(item, s).catch((e) => e?.code === 'NO_PDFJS' && showPdfOrSayWhy(item)),
        },
        t().viewSigned,
      ),
    );
  }
  return el(
    'section',
    {
      class: `card tone-${tone}`,
      dataset: { signature: s.hidden ? `hidden-${s.index}` : String(s.index), field: s.fieldName },
    },
    el(
      'div',
      { class: 'card-head' },
      el('span', { class: 'num' }, `#${s.index}`),
      el(
        'span',
        { class: 'card-title' },
        m.text
          .signatureTitle({
            kind,
            index: s.index,
            field: s.fieldName,
            ...(s.hidden && { hidden: s.hidden }),
            ...(s.role && { role: s.role }),
          })
          .replace(/ #\d+/, ''),
      ),
      badge(s.indication, m.verdict),
    ),
    ...why(m, s, changed),
    dl,
    where,
    actions,
  );
}

function xmlCard(m, s, i) {
  const dl = el('dl');
  if (s.certificate)
    dl.append(...signerField(m, commonName(s.certificate.subject), vnIds(s.certificate.mst, s.certificate.cccd)));
  if (s.signingTime)
    dl.append(
      ...field(m.label.signedAt, s.signingTime.time ? m.text.time(new Date(s.signingTime.time)) : s.signingTime.value),
    );
  dl.append(
    ...field(
      m.label.integrity,
      m.text.xmlIntegrity({
        ok: s.integrity,
        references: s.references.map((r) => ({ uri: r.uri, ok: r.digestValid })),
      }),
    ),
  );
  if (s.businessElement)
    dl.append(
      ...field(
        m.label.signedData,
        m.text.xmlSignedData({
          signed: s.businessElement.signed,
          what: s.businessElement.signed ? (s.businessElement.path ?? s.businessElement.rule) : s.businessElement.rule,
        }),
      ),
    );
  return el(
    'section',
    { class: `card tone-${TONE[s.indication]}`, dataset: { signature: String(i + 1) } },
    el(
      'div',
      { class: 'card-head' },
      el('span', { class: 'num' }, `#${i + 1}`),
      el('span', { class: 'card-title' }, s.role ? m.text.role(s.role) : s.path),
      badge(s.indication, m.verdict),
    ),
    ...why(m, s),
    dl,
  );
}

function detachedCard(m, r) {
  const dl = el('dl');
  if (r.signer)
    dl.append(
      ...signerField(
        m,
        r.signer.subject.commonName ?? r.signer.subject.display,
        vnIds(r.signer.subject.taxCode, r.signer.subject.citizenId),
        r.signer.subject.organization,
      ),
    );
  if (r.signingTime) dl.append(...field(m.label.signedAt, m.text.time(new Date(r.signingTime))));
  for (const ts of r.timestamps)
    if (ts.genTime)
      dl.append(
        ...field(
          m.label.timestamp,
          m.text.timestampLine({
            time: m.text.time(new Date(ts.genTime)),
            ...(ts.tsa && { tsa: ts.tsa }),
            valid: ts.valid,
          }),
        ),
      );
  return singleCard(m, r, t().detached, m.verdict, dl);
}

function timestampCard(m, r) {
  const dl = el('dl');
  if (r.genTime) dl.append(...field(m.label.timestamp, m.text.time(new Date(r.genTime))));
  if (r.tsa) dl.append(...field(m.label.tsa, r.tsa));
  dl.append(...field(m.label.integrity, m.text.timestampImprint(r.imprintMatches)));
  return singleCard(m, r, t().timestamp, m.timestampVerdict, dl);
}

/** The one card of a file with a single verdict (a .p7s, a .tsr): title, badge, why, and the facts. */
function singleCard(m, r, title, verdicts, dl) {
  return el(
    'section',
    { class: `card tone-${TONE[r.indication]}`, dataset: { signature: '1' } },
    el(
      'div',
      { class: 'card-head' },
      el('span', { class: 'num' }, '#1'),
      el('span', { class: 'card-title' }, title),
      badge(r.indication, verdicts),
    ),
    ...why(m, r),
    dl,
  );
}

/** Outlines of the signatures whose widgets are on page `pageIndex` (0-based). */
function outlinesOn(item, pageIndex) {
  return item.report.signatures
    .filter((s) => item.widgets?.get(s.fieldName)?.page === pageIndex)
    .map((s) => ({
      rect: item.widgets.get(s.fieldName).rect,
      tone: TONE[s.indication],
      index: s.index,
      label: `#${s.index}`,
    }));
}

const pageWidth = (box) => Math.max(280, Math.min(640, box.clientWidth - 2));

async function showPdf(item) {
  const v = await viewer();
  item.doc ??= await v.openPdf(item.bytes);
  item.widgets ??= await v.signatureWidgets(item.doc);
  const box = item.viewerBox;
  box.replaceChildren();
  await v.renderDocument(item.doc, box, { width: pageWidth(box), outlinesOf: (i) => outlinesOn(item, i) });
  const article = box.closest('.doc');
  for (const s of item.report.signatures) {
    const w = item.widgets.get(s.fieldName);
    const where = article.querySelector(`.card[data-signature="${s.index}"] [data-role=where]`);
    if (!where) continue;
    where.replaceChildren(
      w
        ? el(
            'button',
            {
              class: 'link',
              type: 'button',
              onclick: () =>
                box
                  .querySelector(`[data-page="${w.page + 1}"]`)
                  ?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
            },
            t().showOnPage(w.page + 1),
          )
        : t().invisible,
    );
  }
  box.dataset.ready = 'yes';
}

/** The revision a signature covers beside the current document, page by page. */
async function compare(item, s) {
  const v = await viewer();
  const dialog = $('#compare');
  const end = s.byteRange[2] + s.byteRange[3];
  item.signedDocs ??= new Map();
  if (!item.signedDocs.has(end)) item.signedDocs.set(end, await v.openPdf(item.bytes.subarray(0, end)));
  const signed = item.signedDocs.get(end);
  const current = item.doc ?? (item.doc = await v.openPdf(item.bytes));
  const start = item.widgets?.get(s.fieldName)?.page ?? 0;
  const total = Math.max(signed.numPages, current.numPages);
  let page = Math.min(start, total - 1);
  const left = el('div', { class: 'pane', dataset: { role: 'signed-pane' } });
  const right = el('div', { class: 'pane', dataset: { role: 'current-pane' } });
  const label = el('span', { class: 'muted' });
  const draw = async () => {
    label.textContent = t().page(page + 1, total);
    // both pages side by side and whole on the screen (A4 is 1:1.414)
    const width = Math.max(260, Math.min(560, (window.innerWidth - 120) / 2, (window.innerHeight - 190) / 1.414));
    const signedOutlines = (
      item.report.signatures.filter((o) => o.index <= s.index && item.widgets?.get(o.fieldName)?.page === page) ?? []
    ).map((o) => ({
      rect: item.widgets.get(o.fieldName).rect,
      tone: o.index === s.index ? TONE[s.indication] : 'muted',
      index: o.index,
      label: `#${o.index}`,
    }));
    left.replaceChildren(
      el('h3', {}, t().signedVersion(s.revision + 1)),
      page < signed.numPages
        ? await v.renderPage(signed, page + 1, { width, outlines: signedOutlines })
        : el('p', { class: 'muted' }, t().notInSigned),
    );
    right.replaceChildren(
      el('h3', {}, t().currentVersion(item.report.revisions)),
      page < current.numPages
        ? await v.renderPage(current, page + 1, { width, outlines: outlinesOn(item, page) })
        : el('p', { class: 'muted' }, ''),
    );
    dialog.dataset.ready = 'yes';
  };
  const prev = el(
    'button',
    { class: 'button secondary', type: 'button', onclick: () => page > 0 && (page--, draw()) },
    t().previous,
  );
  const next = el(
    'button',
    { class: 'button secondary', type: 'button', onclick: () => page < total - 1 && (page++, draw()) },
    t().next,
  );
  const close = el('button', { class: 'button', type: 'button', onclick: () => dialog.close() }, t().hideSigned);
  dialog.dataset.ready = '';
  dialog.replaceChildren(
    el(
      'header',
      { class: 'compare-head' },
      el('strong', {}, `#${s.index} ${s.signer?.subject.commonName ?? s.fieldName}`),
      el('div', { class: 'nav' }, prev, label, next, close),
    ),
    el('div', { class: 'panes' }, left, right),
  );
  dialog.showModal();
  await draw();
}

function choose(files) {
  if (!files.length) return;
  performance.mark('kyso:chosen');
  state.items = groupFiles([...files]);
  verifyAll();
}

function init() {
  applyLanguage();
  const input = $('#files');
  input.addEventListener('change', () => choose(input.files));
  const drop = $('#drop');
  for (const type of ['dragenter', 'dragover'])
    drop.addEventListener(type, (e) => (e.preventDefault(), drop.classList.add('over')));
  for (const type of ['dragleave', 'drop']) drop.addEventListener(type, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => (e.preventDefault(), choose(e.dataTransfer.files)));
  for (const b of document.querySelectorAll('[data-lang]'))
    b.addEventListener('click', () => ((state.lang = b.dataset.lang), rerender()));
  const root = $('#root');
  for (const r of document.querySelectorAll('input[name=trust]')) {
    r.addEventListener('change', () => {
      if (r.value === 'own' && r.checked && !state.rootFile) root.click();
      if (state.items.length) verifyAll();
    });
  }
  root.addEventListener('change', () => {
    state.rootFile = root.files[0];
    $('#root-name').textContent = state.rootFile?.name ?? '';
    document.querySelector('input[name=trust][value=own]').checked = true;
    if (state.items.length) verifyAll();
  });
  $('#online').addEventListener('change', () => state.items.length && verifyAll());
  document.body.dataset.state = 'ready';
  performance.mark('kyso:ready');
  // fetch kyso while the user picks a file
  (window.requestIdleCallback ?? setTimeout)(() =>
    kyso().then(() => {
      performance.mark('kyso:loaded');
      document.body.dataset.kyso = 'loaded';
    }),
  );
}

init();
