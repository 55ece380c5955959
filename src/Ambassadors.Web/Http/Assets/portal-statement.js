// The portal statement's print button: shown only when a script can print (the page prints without it too).
(function () {
    document.querySelectorAll('button[data-print]').forEach(function (button) {
        button.hidden = false;
        button.addEventListener('click', function () { window.print(); });
    });
})();
