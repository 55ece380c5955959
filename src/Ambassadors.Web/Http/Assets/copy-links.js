// The ambassador page's copy buttons: put the link on the clipboard and say so on the button for a moment.
(function () {
    document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
        const label = button.textContent;
        button.addEventListener('click', async function () {
            try {
                await navigator.clipboard.writeText(button.dataset.copy);
                button.textContent = button.dataset.copied;
            } catch (e) {
                const range = document.createRange();
                range.selectNodeContents(button.previousElementSibling);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
            }
            setTimeout(function () { button.textContent = label; }, 1500);
        });
    });
})();
