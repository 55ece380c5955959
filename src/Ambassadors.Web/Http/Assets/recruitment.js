// Recruitment pages: select all applications on the page (and count the selection), copy an outbox link.
(function () {
    "use strict";
    var all = document.querySelector("[data-select-all]");
    var count = document.getElementById("selected-count");
    function boxes() {
        return Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][name=" + (all ? all.getAttribute("data-select-all") : "ids") + "]"));
    }
    function update() {
        if (!count) return;
        var selected = boxes().filter(function (b) { return b.checked; }).length;
        count.textContent = selected > 0 ? count.getAttribute("data-text").replace("{0}", String(selected)) : "";
        if (all) all.checked = selected > 0 && selected === boxes().length;
    }
    if (all) {
        all.addEventListener("change", function () {
            boxes().forEach(function (b) { b.checked = all.checked; });
            update();
        });
        boxes().forEach(function (b) { b.addEventListener("change", update); });
    }
    Array.prototype.forEach.call(document.querySelectorAll("button.copy[data-copy]"), function (button) {
        button.addEventListener("click", function () {
            var text = button.getAttribute("data-copy");
            var done = function () {
                var label = button.textContent;
                button.textContent = button.getAttribute("data-copied");
                setTimeout(function () { button.textContent = label; }, 1500);
            };
            if (navigator.clipboard && navigator.clipboard.writeText) {
                navigator.clipboard.writeText(text).then(done, function () { });
            } else {
                var input = button.parentNode.querySelector("input");
                if (input) { input.select(); document.execCommand("copy"); done(); }
            }
        });
    });
})();
