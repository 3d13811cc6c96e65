// Airport type-ahead following the WAI-ARIA combobox pattern (list autocomplete):
// arrow keys move through the suggestions, Enter picks one, Escape closes the list.
// Without JavaScript the field still accepts a city or a three-letter code.
(function () {
  "use strict";

  function setup(input) {
    var endpoint = input.getAttribute("data-airport-combobox");
    var listbox = document.createElement("ul");
    var status = document.createElement("div");
    var options = [];
    var active = -1;
    var timer = null;

    listbox.id = input.id + "-listbox";
    listbox.className = "combobox__list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "");
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.classList.add("combobox");
    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      input.value = options[index].getAttribute("data-value");
      close();
    }

    function render(airports) {
      listbox.textContent = "";
      options = airports.map(function (airport, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-value", airport.city + " (" + airport.iata + ")");
        li.textContent = airport.label;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        listbox.appendChild(li);
        return li;
      });
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      // The page gives the count's words in its language: data-count-one, data-count-many ("{n} suggestions").
      var words = options.length === 1 ? input.getAttribute("data-count-one") || "1 suggestion"
        : (input.getAttribute("data-count-many") || "{n} suggestions");
      status.textContent = options.length ? words.replace("{n}", options.length) : "";
      active = -1;
    }

    function suggest() {
      var query = input.value.trim();
      if (query.length < 2) { render([]); return; }
      fetch(endpoint + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { airports: [] }; })
        .then(function (data) { if (input.value.trim() === query) { render(data.airports); } })
        .catch(function () { render([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden) { suggest(); return; }
        highlight(Math.min(active + 1, options.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-airport-combobox]").forEach(setup);
})();
