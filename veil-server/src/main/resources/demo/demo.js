// The demo clinic site's own calls to the Veil SDK. Served as a file, not inline: Veil's pages carry a
// Content-Security-Policy without 'unsafe-inline' (docs/security.md).
(function () {
  var cta = document.getElementById('cta');
  if (cta) {
    cta.addEventListener('click', function () {
      veil.track('CTA Clicked', { cta: 'home_book' });
    });
  }
  document.querySelectorAll('[data-service]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      veil.track('Service Viewed', { service_line: a.dataset.service });
    });
  });
  var book = document.getElementById('book');
  if (book) {
    book.addEventListener('submit', function (e) {
      e.preventDefault();
      // Only a non-PHI property: the name, email, date of birth and ZIP typed above are never sent.
      veil.track('Appointment Booked', { service_line: e.target.service.value });
      veil.flush();
      document.getElementById('done').hidden = false;
    });
  }
})();
