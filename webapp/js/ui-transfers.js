// The list of file transfers, in and out: progress, verdict and the download link.
import { el, fromTemplate } from './dom.js';

const objectUrls = new Map();

/** Creates or updates the row of one transfer; detail as emitted by files.js plus `counterpart`. */
export function showTransfer({ id, direction, name, size, done, sent, result, blob, counterpart }) {
  let item = el.transfers.querySelector(`[data-transfer-id="${CSS.escape(id)}"]`);
  if (!item) {
    item = fromTemplate('transfer-template');
    item.dataset.transferId = id;
    item.dataset.direction = direction;
    item.querySelector('.arrow').textContent = direction === 'in' ? '↓' : '↑';
    item.querySelector('.file-name').textContent = name;
    item.querySelector('.counterpart').textContent = direction === 'in' ? `from ${counterpart}` : `to ${counterpart}`;
    el.transfers.prepend(item);
  }
  const progress = item.querySelector('progress');
  progress.max = Math.max(size, 1);
  progress.value = size === 0 && result ? 1 : done;
  item.querySelector('.bytes').textContent = `${formatBytes(done)} of ${formatBytes(size)}`;
  const waiting = sent ? 'sent, checking…' : direction === 'in' ? 'receiving…' : 'sending…';
  item.querySelector('.result').textContent = result ?? waiting;
  item.dataset.result = result ?? '';
  if (blob && !objectUrls.has(id)) {
    const url = URL.createObjectURL(blob);
    objectUrls.set(id, url);
    const link = item.querySelector('a[download]');
    link.href = url;
    link.download = name;
    link.textContent = `Save ${name}`;
    link.hidden = false;
  }
  el.transfersClear.hidden = !el.transfers.querySelector('[data-result]:not([data-result=""])');
}

/** Drops finished rows and frees the memory their download links held. */
export function clearFinishedTransfers() {
  for (const item of el.transfers.querySelectorAll('[data-result]:not([data-result=""])')) {
    const url = objectUrls.get(item.dataset.transferId);
    if (url) {
      URL.revokeObjectURL(url);
      objectUrls.delete(item.dataset.transferId);
    }
    item.remove();
  }
  el.transfersClear.hidden = true;
}

function formatBytes(n) {
  if (n < 1024) {
    return `${n} B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
