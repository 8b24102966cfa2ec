// Sends Segment-style calls to Veil from the demo pages. Deliberately tiny: the real browser SDK
// (veil-sdk-js) replaces this file.
(function () {
  var cfg = window.VEIL_DEMO || {};
  var anon = localStorage.getItem('veil_demo_anon');
  if (!anon) { anon = crypto.randomUUID(); localStorage.setItem('veil_demo_anon', anon); }

  function send(call, msg) {
    var now = new Date().toISOString();
    msg.writeKey = cfg.writeKey;
    msg.anonymousId = anon;
    msg.messageId = crypto.randomUUID();
    msg.timestamp = now;
    msg.sentAt = now;
    msg.context = { page: { path: location.pathname, url: location.href, title: document.title,
                            referrer: document.referrer } };
    var body = JSON.stringify(msg);
    // text/plain keeps the request "simple": no CORS preflight, and sendBeacon survives page unloads.
    if (navigator.sendBeacon && navigator.sendBeacon('/v1/' + call, new Blob([body], { type: 'text/plain' }))) {
      return Promise.resolve();
    }
    return fetch('/v1/' + call, { method: 'POST', body: body, keepalive: true,
                                  headers: { 'Content-Type': 'text/plain' } });
  }

  window.veilDemo = {
    track: function (event, properties) { return send('track', { event: event, properties: properties || {} }); },
    page: function (name) { return send('page', { name: name }); }
  };
  window.veilDemo.page(document.title);
})();
