// The query editor: YASGUI on this server's /sparql, with the project prefixes and the
// query library as examples. Configuration comes from a JSON data block of the page.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("techreg-config").textContent);
  var first = config.initial || (config.examples.length ? config.examples[0].text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10");
  var start = /\bPREFIX\b/i.test(first) ? first : config.prologue + "\n" + first;
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST", headers: {} },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    yasqe: { value: start, resizeable: true, persistenceId: null, showQueryButton: true,
             autocompleters: ["prefixes", "variables"] },
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table", persistenceId: null,
            prefixes: config.prefixes }
  });
  window.techregYasgui = yasgui;
  var select = document.getElementById("examples");
  config.examples.forEach(function (q, i) {
    var option = document.createElement("option");
    option.value = String(i);
    option.textContent = q.name + (q.question ? " — " + q.question : "");
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    if (select.value === "") { return; }
    var text = config.examples[Number(select.value)].text;
    yasgui.getTab().setQuery(/\bPREFIX\b/i.test(text) ? text : config.prologue + "\n" + text);
  });
})();
