/* Agency chooser: a text filter in front of every select[data-agency-filter].
   Typing hides the agencies whose name does not contain the text, and the groups
   left empty. Without this script the grouped select works as it is; the form is
   validated on the server either way. */
(function () {
  "use strict";
  var selects = document.querySelectorAll("select[data-agency-filter]");
  Array.prototype.forEach.call(selects, function (select) {
    if (select.getAttribute("data-agency-filter") === "on") {
      return; /* the script is included once per form; filter each select once */
    }
    select.setAttribute("data-agency-filter", "on");
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "_filter";
    input.className = "agency-filter";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("placeholder", "输入名称筛选机关");
    input.setAttribute("aria-label", "筛选机关");
    input.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(input, select);

    function apply() {
      var text = input.value.replace(/\s+/g, "").toLowerCase();
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var shown = 0;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var name = option.textContent.replace(/\s+/g, "").toLowerCase();
          var match = !text || name.indexOf(text) !== -1 || option.selected;
          option.hidden = !match;
          if (match) {
            shown += 1;
          }
        });
        group.hidden = shown === 0;
      });
    }

    input.addEventListener("input", apply);
  });
})();
