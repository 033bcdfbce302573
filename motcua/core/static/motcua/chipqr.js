/* Chip ID card QR -> person form fields, in the browser.
 *
 * The scanner behaves like a keyboard: it types `id|old id|name|DDMMYYYY|sex|address|DDMMYYYY`
 * into the focused box and presses Enter. We catch the Enter, spread the fields out and keep the
 * form from submitting. Without this script the Enter submits the form and the server does the
 * same (motcua.core.identity.parse_chip_qr); keep the two in step: a birth date, an issue date or
 * an ID birth year (century digit) after today in Vietnam, or an issue date before the birth date,
 * is refused here too (the box then says the QR could not be read, and nothing is filled).
 */
(function () {
  "use strict";

  function qrDate(text) {
    if (!/^\d{8}$/.test(text)) return text ? null : "";
    var d = text.slice(0, 2), m = text.slice(2, 4), y = text.slice(4);
    var date = new Date(Date.UTC(+y, +m - 1, +d));
    if (date.getUTCDate() !== +d || date.getUTCMonth() !== +m - 1) return null;
    return y + "-" + m + "-" + d;
  }

  function qrSex(text) {
    var folded = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
    if (folded === "nam") return "M";
    if (folded === "nu") return "F";
    return "";
  }

  function vietnamToday() {
    // "YYYY-MM-DD" in Asia/Ho_Chi_Minh, whatever the computer's own zone.
    try {
      return new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Ho_Chi_Minh" });
    } catch (e) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  function idBirthYear(id) {
    var digit = +id.charAt(3);
    return (19 + Math.floor(digit / 2)) * 100 + +id.slice(4, 6);
  }

  function parse(text, today) {
    today = today || vietnamToday();
    var parts = text.replace(/[\r\n]/g, "").trim().split("|").map(function (p) { return p.trim(); });
    if (parts.length < 3 || !/^\d{12}$/.test(parts[0])) return null;
    var rest = parts.slice(1);
    // The old id is 9 (or 12) digits, or left empty; some cards drop the field altogether.
    if (!(rest[0] === "" || /^(\d{9}|\d{12})$/.test(rest[0]))) rest.unshift("");
    while (rest.length < 6) rest.push("");
    var dob = qrDate(rest[2]), issued = qrDate(rest[5]);
    if (!rest[1] || /\d/.test(rest[1]) || dob === null || issued === null) return null;
    // ISO dates compare as strings.
    if ((dob && dob > today) || (issued && issued > today) || (dob && issued && issued < dob)) return null;
    if (idBirthYear(parts[0]) > +today.slice(0, 4)) return null;
    return {
      personal_id: parts[0], old_id: rest[0], full_name: rest[1].replace(/\s+/g, " "),
      date_of_birth: dob, sex: qrSex(rest[3]), address: rest[4].replace(/\s+/g, " "), id_issued_on: issued
    };
  }

  function fill(form, box, status) {
    var card = parse(box.value);
    if (!card) {
      if (status) status.textContent = status.getAttribute("data-msg-bad");
      return false;
    }
    Object.keys(card).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && card[name] !== "") field.value = card[name];
    });
    box.value = "";
    if (status) status.textContent = status.getAttribute("data-msg-ok");
    var unit = form.elements.namedItem("unit");
    if (unit) unit.focus();
    return true;
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { parse: parse };  // node, for the unit test (tests/core/test_chipqr_js.py)
    return;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-person-form]");
    if (!form) return;
    var box = form.querySelector("[data-chip-qr]");
    var status = form.querySelector("[data-chip-qr-status]");
    if (!box) return;
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        fill(form, box, status);
      }
    });
    box.addEventListener("change", function () { if (box.value.trim()) fill(form, box, status); });
    form.addEventListener("submit", function (event) {
      // The "fill" button with a QR the script could read: no need to ask the server.
      var fillButton = event.submitter && event.submitter.value === "fill";
      if (fillButton && box.value.trim() && fill(form, box, status)) event.preventDefault();
    });
  });
})();
