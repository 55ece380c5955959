// Copy buttons (a manager's ambassador page, the portal's "My links"): put data-copy on the clipboard and say so on the button
// for a moment; where the clipboard is refused, select the text just before the button so it can be copied by hand.
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
