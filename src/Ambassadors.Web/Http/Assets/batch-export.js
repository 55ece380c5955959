// The batch page's export box: polls the export's status and shows the download link when the workbook is ready.
// Its words come from the page (data-text-* attributes, in the page's language); {0} and {1} are filled in here.
(function () {
    const box = document.getElementById('export');
    if (!box) return;
    const bar = document.getElementById('export-progress');
    const text = document.getElementById('export-text');
    const link = document.getElementById('export-download');
    const language = document.documentElement.lang || undefined;
    function say(name, ...values) {
        return (box.dataset['text' + name] || '').replace(/\{(\d)\}/g, (_, i) => values[Number(i)]);
    }
    async function poll() {
        let status;
        try {
            const response = await fetch(box.dataset.statusUrl, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
            if (response.redirected || !(response.headers.get('content-type') || '').includes('json')) {
                text.textContent = say('SignedOut');
                return;
            }
            status = await response.json();
        } catch (e) {
            text.textContent = say('Retrying');
            setTimeout(poll, 2000);
            return;
        }
        bar.value = status.percent;
        if (status.state === 'done') {
            text.textContent = say('Ready', status.fileName);
            link.textContent = say('Download', status.fileName);
            link.hidden = false;
        } else if (status.state === 'failed' || status.state === 'unknown') {
            text.textContent = say('Failed');
        } else if (status.state === 'downloaded') {
            text.textContent = say('Downloaded');
            link.hidden = true;
        } else {
            text.textContent = status.totalRows > 0
                ? say('Writing', status.rowsWritten.toLocaleString(language), status.totalRows.toLocaleString(language))
                : (status.state === 'queued' ? say('Queued') : say('Reading'));
            setTimeout(poll, 400);
        }
    }
    link.addEventListener('click', () => setTimeout(() => { link.hidden = true; text.textContent = say('Downloaded'); }, 0));
    poll();
})();
