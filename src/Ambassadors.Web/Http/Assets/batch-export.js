// The batch page's export box: polls the export's status and shows the download link when the workbook is ready.
(function () {
    const box = document.getElementById('export');
    if (!box) return;
    const bar = document.getElementById('export-progress');
    const text = document.getElementById('export-text');
    const link = document.getElementById('export-download');
    async function poll() {
        let status;
        try {
            const response = await fetch(box.dataset.statusUrl, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
            if (response.redirected || !(response.headers.get('content-type') || '').includes('json')) {
                text.textContent = 'You were signed out; sign in again and export again.';
                return;
            }
            status = await response.json();
        } catch (e) {
            text.textContent = 'Lost contact with the server; retrying…';
            setTimeout(poll, 2000);
            return;
        }
        bar.value = status.percent;
        if (status.state === 'done') {
            text.textContent = 'Ready: ' + status.fileName;
            link.textContent = 'Download ' + status.fileName;
            link.hidden = false;
        } else if (status.state === 'failed' || status.state === 'unknown') {
            text.textContent = status.error || 'The export failed.';
        } else if (status.state === 'downloaded') {
            text.textContent = 'Downloaded. Export again for another copy.';
            link.hidden = true;
        } else {
            text.textContent = status.totalRows > 0
                ? 'Writing ' + status.rowsWritten.toLocaleString() + ' of ' + status.totalRows.toLocaleString() + ' rows…'
                : (status.state === 'queued' ? 'Waiting for another export to finish…' : 'Reading the batch…');
            setTimeout(poll, 400);
        }
    }
    link.addEventListener('click', () => setTimeout(() => { link.hidden = true; text.textContent = 'Downloaded. Export again for another copy.'; }, 0));
    poll();
})();
