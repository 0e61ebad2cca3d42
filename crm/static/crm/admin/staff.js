/* Partnerbase admin enhancements, loaded with `defer` on every admin page (no inline script,
   so a strict Content-Security-Policy holds):
   - the typeaheads (ARIA comboboxes: arrows, Enter, Escape, click): the partners of "Record an
     event", and every autocomplete picker of partners, schools and districts (crm/admin/choosers.py),
     whose choices are chips holding hidden inputs;
   - listing cells get their column heading as data-label, shown on phone-sized cards. */
(function () {
    "use strict";

    function labelListings() {
        document.querySelectorAll("table.listing").forEach(function (table) {
            var heads = Array.prototype.map.call(
                table.querySelectorAll("thead th"),
                function (th) { return th.textContent.replace(/\s+/g, " ").trim(); }
            );
            table.querySelectorAll("tbody tr").forEach(function (row) {
                Array.prototype.forEach.call(row.children, function (cell, i) {
                    if (heads[i] && !cell.hasAttribute("data-label")) {
                        cell.setAttribute("data-label", heads[i]);
                    }
                });
            });
        });
    }

    function partnerPicker(input) {
        var url = input.getAttribute("data-suggest-url");
        if (!url || !window.fetch) { return; }
        var name = input.getAttribute("data-picker-name") || "partners";
        var single = input.hasAttribute("data-picker-single");
        // The no-JS "Record an event" box is itself submitted (names separated by ";"); a
        // picker's box is not, it only finds.
        var freeText = input.hasAttribute("name");
        var listId = input.id + "-suggestions";
        var chips = document.querySelector('.pb-chips[data-picker-for="' + input.id + '"]');
        if (!chips) {
            chips = document.createElement("div");
            chips.className = "pb-chips";
            chips.setAttribute("aria-live", "polite");
            input.parentNode.insertBefore(chips, input);
        }
        var list = document.createElement("ul");
        list.className = "pb-suggest";
        list.id = listId;
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Suggestions");
        input.parentNode.insertBefore(list, input.nextSibling);
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);
        if (!input.placeholder) { input.placeholder = "Type a partner's name"; }
        var active = -1;
        var timer = null;
        var serial = 0;

        function options() { return list.querySelectorAll("[role=option]"); }

        function close() {
            list.innerHTML = "";
            active = -1;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
        }

        function highlight(index) {
            var opts = options();
            if (!opts.length) { return; }
            active = (index + opts.length) % opts.length;
            opts.forEach(function (opt, i) { opt.setAttribute("aria-selected", i === active ? "true" : "false"); });
            input.setAttribute("aria-activedescendant", opts[active].id);
            opts[active].scrollIntoView({block: "nearest"});
        }

        function removable(chip) {
            chip.querySelector("button").addEventListener("click", function () {
                chip.remove();
                input.focus();
            });
        }

        function addChip(id, label) {
            var chip = document.createElement("span");
            chip.className = "pb-chip";
            chip.setAttribute("data-id", id);
            chip.appendChild(document.createTextNode(label + " "));
            var remove = document.createElement("button");
            remove.type = "button";
            remove.textContent = "\u00d7";
            remove.setAttribute("aria-label", "Remove " + label);
            chip.appendChild(remove);
            var hidden = document.createElement("input");
            hidden.type = "hidden";
            hidden.name = name;
            hidden.value = id;
            chip.appendChild(hidden);
            chips.appendChild(chip);
            removable(chip);
        }

        function pick(id, label) {
            if (single) { chips.innerHTML = ""; }
            var taken = chips.querySelector('input[type=hidden][value="' + id + '"]');
            if (!taken) { addChip(id, label); }
            if (freeText) {
                // Keep names typed before the last ";" (the server resolves them); drop the fragment.
                var parts = input.value.split(";");
                parts.pop();
                input.value = parts.map(function (p) { return p.trim(); }).filter(Boolean).join("; ");
                if (input.value) { input.value += "; "; }
            } else {
                input.value = "";
            }
            close();
            input.focus();
        }

        chips.querySelectorAll(".pb-chip").forEach(removable);
        // Another script may choose for the person (the referral form's suggested partners).
        input.addEventListener("pb:pick", function (event) {
            if (event.detail && event.detail.id) { pick(String(event.detail.id), event.detail.label || ""); }
        });

        function show(results) {
            close();
            results.forEach(function (match, i) {
                var li = document.createElement("li");
                li.id = listId + "-" + i;
                li.setAttribute("role", "option");
                li.setAttribute("aria-selected", "false");
                li.textContent = match.name;
                // mousedown, not click: the input would lose focus first and the list close.
                li.addEventListener("mousedown", function (event) {
                    event.preventDefault();
                    pick(match.id, match.name);
                });
                list.appendChild(li);
            });
            input.setAttribute("aria-expanded", results.length ? "true" : "false");
        }

        input.addEventListener("input", function () {
            clearTimeout(timer);
            var q = input.value.split(";").pop().trim();
            if (q.length < 2) { close(); return; }
            var mine = ++serial;
            timer = setTimeout(function () {
                var ask = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
                // A contact picker follows the partner picker: only that partner's contacts.
                var follows = input.getAttribute("data-picker-follows");
                var chosen = follows && document.querySelector(
                    '.pb-chips[data-picker-for="' + follows + '"] input[type=hidden]');
                if (chosen) { ask += "&partner=" + encodeURIComponent(chosen.value); }
                fetch(ask, {credentials: "same-origin"})
                    .then(function (r) { return r.ok ? r.json() : {results: []}; })
                    .then(function (data) { if (mine === serial) { show(data.results || []); } })
                    .catch(close);
            }, 120);
        });
        input.addEventListener("keydown", function (event) {
            var opts = options();
            if (event.key === "ArrowDown" && opts.length) {
                event.preventDefault();
                highlight(active + 1);
            } else if (event.key === "ArrowUp" && opts.length) {
                event.preventDefault();
                highlight(active - 1);
            } else if (event.key === "Enter" && opts.length) {
                event.preventDefault();
                var chosen = opts[active >= 0 ? active : 0];
                chosen.dispatchEvent(new MouseEvent("mousedown", {cancelable: true}));
            } else if (event.key === "Escape" && opts.length) {
                event.preventDefault();
                close();
            }
        });
        input.addEventListener("blur", function () { setTimeout(close, 150); });
    }

    function start() {
        labelListings();
        document.querySelectorAll("input[data-suggest-url]").forEach(partnerPicker);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
    // Wagtail refreshes listing results in place when filters change.
    document.addEventListener("w-swap:success", labelListings);
})();
