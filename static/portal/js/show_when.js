/* Progressive disclosure: a field whose widget says data-show-when="name=value"
   shows only while the radio button "name" holds that value; the others are hidden
   and disabled, so they are not sent. Without this script every field shows and the
   server validates the whole form either way. */
(function () {
  "use strict";
  function wrapper(element) {
    return element.closest(".field") || element;
  }

  function update(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-show-when]"), function (element) {
      var rule = element.getAttribute("data-show-when").split("=");
      var checked = form.querySelector('input[type="radio"][name="' + rule[0] + '"]:checked');
      var shown = checked !== null && rule[1].split(" ").indexOf(checked.value) !== -1;
      wrapper(element).hidden = !shown;
      element.disabled = !shown;
    });
  }

  var forms = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-show-when]"), function (element) {
    var form = element.form || element.closest("form");
    if (form && forms.indexOf(form) === -1) {
      forms.push(form);
    }
  });
  forms.forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.type === "radio") {
        update(form);
      }
    });
    update(form);
  });
})();
