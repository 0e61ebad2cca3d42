/* The referral form's "Suggested partners" panel: reloaded when the school, need, family's
   language or grade changes; "Choose" puts that partner in the form's partner field. The panel's
   HTML comes from the server, already escaped. No inline script (CSP). */
(function () {
    "use strict";

    function start() {
        var language = document.querySelector("[data-partner-suggestions]");
        if (!language || !window.fetch) { return; }
        var form = language.form;
        var url = language.getAttribute("data-partner-suggestions");
        // The partner field is a picker (a text box whose choice is a chip) or a plain select.
        var picker = form.querySelector("[data-picker-name=partner]");
        var partner = picker || form.elements.namedItem("partner");
        var panel = document.createElement("section");
        panel.className = "pb-suggested help-block help-info";
        panel.setAttribute("aria-live", "polite");
        panel.setAttribute("aria-label", "Suggested partners");
        var anchor = partner && partner.closest ? partner.closest(".w-field__wrapper") : null;
        (anchor || language.closest(".w-field__wrapper") || form).insertAdjacentElement(
            anchor ? "beforebegin" : "afterend", panel
        );
        var names = ["school", "need_category", "family_language", "grade"];
        var pending = 0;

        function value(name) {
            var field = form.elements.namedItem(name);
            return field && field.value ? field.value : "";
        }

        function refresh() {
            var query = names.map(function (n) {
                return encodeURIComponent(n) + "=" + encodeURIComponent(value(n));
            }).join("&");
            var ticket = ++pending;
            fetch(url + "?" + query, { credentials: "same-origin" })
                .then(function (r) { return r.ok ? r.text() : ""; })
                .then(function (html) { if (ticket === pending) { panel.innerHTML = html; } })
                .catch(function () { panel.innerHTML = ""; });
        }

        panel.addEventListener("click", function (event) {
            var button = event.target.closest("[data-choose-partner]");
            if (!button || !partner) { return; }
            var id = button.getAttribute("data-choose-partner");
            if (picker) {
                picker.dispatchEvent(new CustomEvent("pb:pick", {
                    detail: { id: id, label: button.getAttribute("data-partner-name") || "" }
                }));
                return;
            }
            partner.value = id;
            partner.dispatchEvent(new Event("change", { bubbles: true }));
            if (partner.focus) { partner.focus(); }
        });
        names.forEach(function (n) {
            var field = form.elements.namedItem(n);
            if (field) { field.addEventListener("change", refresh); }
        });
        refresh();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
