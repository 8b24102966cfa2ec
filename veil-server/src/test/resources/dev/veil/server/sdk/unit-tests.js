// Unit tests of the SDK's logic, run in the browser against the unminified build (see SdkUnitTest).
(function () {
  var results = [];
  function test(name, fn) {
    try {
      fn();
      results.push({ name: name, ok: true, message: '' });
    } catch (e) {
      results.push({ name: name, ok: false, message: String(e && e.message) });
    }
  }
  function eq(actual, expected, what) {
    var a = JSON.stringify(actual), b = JSON.stringify(expected);
    if (a !== b) throw new Error((what || 'value') + ': expected ' + b + ' but was ' + a);
  }
  function ok(cond, what) {
    if (!cond) throw new Error(what);
  }
  var DAY = 864e5;

  veil.ready(function (v) {
    var _ = v._;
    test('internals are exposed to the unit tests', function () {
      ok(_ && typeof _.uuid == 'function', 'veil._ missing: is window.__VEIL_TEST__ set?');
    });

    test('uuid is a random version 4 uuid', function () {
      var a = _.uuid(), b = _.uuid();
      ok(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(a), 'not a v4 uuid: ' + a);
      ok(a !== b, 'two uuids are equal');
    });

    test('utm parameters map to segment campaign names', function () {
      eq(_.campaignOf('?utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=t&utm_content=c&utm_id=7&x=1'),
        { source: 'news', medium: 'email', name: 'spring', term: 't', content: 'c', id: '7' });
    });

    test('a url without utm parameters has no campaign', function () {
      eq(_.campaignOf('?q=1'), null);
    });

    test('click ids are kept for their attribution window', function () {
      var t = 1700000000000;
      var ids = _.captureClickIds('?gclid=G1&ttclid=T1&li_fat_id=L1&msclkid=M1&wbraid=W1&gbraid=B1', t, null);
      eq(ids.gclid, ['G1', t + 90 * DAY], 'gclid');
      eq(ids.ttclid, ['T1', t + 28 * DAY], 'ttclid');
      eq(ids.li_fat_id, ['L1', t + 30 * DAY], 'li_fat_id');
      eq(ids.msclkid[0], 'M1', 'msclkid');
      eq(ids.wbraid[0], 'W1', 'wbraid');
      eq(ids.gbraid[0], 'B1', 'gbraid');
    });

    test('fbclid becomes fbc with the capture time in milliseconds', function () {
      var t = 1700000000123;
      var ids = _.captureClickIds('?fbclid=AbC_123', t, null);
      eq(ids.fbclid[0], 'AbC_123');
      eq(ids.fbc[0], 'fb.1.1700000000123.AbC_123');
    });

    test('fbp is first party, stable across visits and renewed', function () {
      var first = _.captureClickIds('', 1000, null);
      ok(/^fb\.1\.1000\.\d{10}$/.test(first.fbp[0]), 'fbp format: ' + first.fbp[0]);
      var later = _.captureClickIds('', 5000, first);
      eq(later.fbp, [first.fbp[0], 5000 + 90 * DAY], 'fbp after a second visit');
    });

    test('a new landing replaces an older click id and keeps the others', function () {
      var a = _.captureClickIds('?gclid=OLD&ttclid=T', 1000, null);
      var b = _.captureClickIds('?gclid=NEW', 2000, a);
      eq(b.gclid, ['NEW', 2000 + 90 * DAY]);
      eq(b.ttclid, a.ttclid);
    });

    test('overlong click ids are ignored', function () {
      var long = new Array(600).join('x');
      eq(_.captureClickIds('?gclid=' + long, 1000, null).gclid, undefined);
    });

    test('expired click ids are not sent', function () {
      var ids = { gclid: ['G', 2000], ttclid: ['T', 500] };
      eq(_.activeClickIds(ids, 1000), { gclid: 'G' });
      eq(_.activeClickIds(ids, 3000), null);
    });

    test('batches hold at most 100 events', function () {
      var events = [];
      for (var i = 0; i < 250; i++) events.push({ i: i });
      eq(_.take(events).length, 100);
    });

    test('batches stay under 60000 characters but always hold one event', function () {
      var big = { s: new Array(25000).join('y') };
      eq(_.take([big, big, big]).length, 2);
      var huge = { s: new Array(70000).join('z') };
      eq(_.take([huge, big]).length, 1);
    });

    test('retry backoff doubles with jitter and caps at a minute', function () {
      for (var n = 0; n < 10; n++) {
        var ms = _.backoff(n), full = Math.min(60000, 1000 * Math.pow(2, n));
        ok(ms >= full / 2 && ms <= full, 'attempt ' + n + ': ' + ms + ' outside [' + full / 2 + ', ' + full + ']');
      }
    });

    test('a session continues within the inactivity timeout', function () {
      var t = Date.now() + 10 * DAY;
      var s1 = _.touchSession(t);
      var s2 = _.touchSession(t + _.sessionMs - 1);
      eq(s2.id, s1.id, 'session id');
      eq(s2.n, s1.n, 'session number');
    });

    test('a session rolls over after thirty minutes of inactivity', function () {
      eq(_.sessionMs, 30 * 60000, 'default timeout');
      var t = Date.now() + 20 * DAY;
      var s1 = _.touchSession(t);
      var s2 = _.touchSession(t + _.sessionMs + 1);
      eq(s2.id, t + _.sessionMs + 1, 'new session id is its start time');
      eq(s2.n, s1.n + 1, 'session number');
    });

    test('a clock that goes backwards starts a new session', function () {
      var t = Date.now() + 30 * DAY;
      var s1 = _.touchSession(t);
      var s2 = _.touchSession(t - 60000);
      eq(s2.n, s1.n + 1);
    });

    test('unconfirmed events are sent again only within the server\'s 24 hour duplicate window', function () {
      ok(_.RESEND_MS > 0 && _.RESEND_MS < 24 * 3600e3, 'RESEND_MS ' + _.RESEND_MS + ' is not under 24 hours');
    });

    test('calls with bad arguments never throw into the page', function () {
      var circular = {};
      circular.self = circular;
      v.track(undefined);
      v.track('Circular', circular);
      v.page(circular);
      v.identify(null, 42);
      v.group();
      v.alias();
      v.consent(null);
      v.ready('not a function');
      v.ready(function () {
        throw new Error('callback error');
      });
    });

    window.__unitResults = results;
  });
})();
