// Progress of a bank statement's upload and import (/bankafschriften): an enhancement only. The form
// posts as it would without script; while the browser waits for the answer, this asks the site how
// far the work is and shows it. The words come from the form's data-progress-* attributes.
(function () {
  'use strict';
  document.querySelectorAll('form[data-progress]').forEach(function (form) {
    form.addEventListener('submit', function () {
      var box = form.querySelector('.upload-progress');
      if (!box) { return; }
      var bar = box.querySelector('progress');
      var status = box.querySelector('[role=status]');
      box.hidden = false;
      var ticket = form.getAttribute('data-progress');
      var poll = function () {
        fetch('/bankafschriften/voortgang?kaartje=' + encodeURIComponent(ticket), { credentials: 'same-origin', cache: 'no-store' })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (p) {
            if (p) {
              var percent = Math.round(p.done * 100);
              bar.value = percent;
              status.textContent = (form.getAttribute('data-progress-' + p.stage) || '') + ' ' + percent + '%';
            }
            window.setTimeout(poll, 500);
          })
          .catch(function () { window.setTimeout(poll, 1000); });
      };
      window.setTimeout(poll, 300);
    });
  });
})();
