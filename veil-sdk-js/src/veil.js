/*
 * Veil browser SDK: first-party analytics with no runtime dependencies.
 *
 * Design note. The page only ever talks to the Veil server that served this script (same site), so no
 * third-party request is made. Calls build Segment-spec events at call time (timestamp, page, session,
 * campaign, click ids, consent) and append them to a bounded queue that is persisted in localStorage;
 * a single batch is in flight at a time and events leave the queue only when the server acknowledged
 * them (at-least-once; the server dedups on messageId). When the page is hidden the queue goes out at
 * once with a keepalive fetch whose answer is read; only when the page is unloaded does the rest go out
 * with sendBeacon, whose outcome no page ever learns: those events stay stored, marked as sent, and the
 * next page sends them again (the server drops the repeats) unless they were sent longer ago than the
 * server remembers message ids. Every entry point is wrapped so that nothing can throw into the host
 * page, and the console only ever shows event types, counts and reasons, never a value.
 */
(function (w, d, nav) {
  'use strict';
  var VERSION = '0.1.0';
  var P = 'veil_';
  var DAY = 864e5;
  // Attribution windows (days) of the ad-click ids read from landing URLs.
  var CLICK_IDS = { gclid: 90, gbraid: 90, wbraid: 90, fbclid: 90, ttclid: 28, msclkid: 90, li_fat_id: 30 };
  var UTM = { utm_source: 'source', utm_medium: 'medium', utm_campaign: 'name', utm_term: 'term', utm_content: 'content', utm_id: 'id' };
  var MAX_EVENT = 32000; // characters of JSON; the ingest API refuses larger events
  var MAX_BATCH = 60000; // keeps a keepalive fetch and a beacon under the browsers' 64 KB limit
  // An event sent without a confirmation is sent again by a later page only within this time: the server
  // drops a repeated messageId for 24 hours (dedupWindow), so a later resend could be stored twice.
  var RESEND_MS = 20 * 36e5;

  var stub = w.veil || [];
  if (stub.loaded) return; // the snippet was included twice
  var o = stub.o || {};
  var script = d.currentScript;
  var host = String(o.host || (script && script.src ? new URL(script.src).origin : location.origin)).replace(/\/+$/, '');
  var endpoint = host + '/v1/batch';
  var flushMs = o.flushInterval >= 0 ? o.flushInterval : 1000;
  var maxQueue = o.maxQueue || 500;
  var sessionMs = (o.sessionTimeout || 30) * 6e4;
  var gpc = o.honorGpc !== false && nav.globalPrivacyControl === true;

  function log(msg) {
    if (o.debug && w.console) console.info('[veil] ' + msg);
  }

  function guard(name, f) {
    return function () {
      try {
        return f.apply(this, arguments);
      } catch (e) {
        log(name + ' failed: ' + (e && e.name)); // the name only: a message may quote a value
      }
    };
  }

  // ---- storage: an in-memory copy, written through to localStorage when storing is allowed ----

  var mem = {};
  function read(k) {
    try {
      return JSON.parse(localStorage.getItem(P + k));
    } catch (e) {}
  }
  // Reads storage first so that tabs of the same site share one session, identity and click ids.
  function get(k) {
    var v = mayStore() ? read(k) : null;
    return v != null ? v : k in mem ? mem[k] : null;
  }
  function set(k, v, always) {
    mem[k] = v;
    if (!always && !mayStore()) return;
    try {
      if (v == null) localStorage.removeItem(P + k);
      else localStorage.setItem(P + k, JSON.stringify(v));
    } catch (e) {} // quota exceeded or storage disabled: the memory copy still works
  }
  function cookie(name, value, days) {
    if (arguments.length < 2) {
      var m = d.cookie.match('(?:^|;\\s*)' + name + '=([^;]*)');
      return m ? decodeURIComponent(m[1]) : null;
    }
    var attrs = '; Path=/; SameSite=Lax' + (location.protocol == 'https:' ? '; Secure' : '');
    if (value) {
      if (mayStore()) d.cookie = name + '=' + encodeURIComponent(value) + '; Max-Age=' + days * 86400 + attrs + (o.cookieDomain ? '; Domain=' + o.cookieDomain : '');
      return;
    }
    // Deleting is always allowed, and removes every copy: the host's own and one on any parent domain
    // (a server-set identity cookie may carry Domain=).
    var h = location.hostname.split('.');
    for (var i = 0; i < h.length; i++) d.cookie = name + '=; Max-Age=0' + attrs + (i ? '; Domain=' + h.slice(i - 1).join('.') : '');
  }

  // ---- consent ----

  var prefs = read('consent') || null; // null until veil.consent(...) was called
  function granted(p) {
    for (var k in p) if (p[k] === true) return true;
    return false;
  }
  function categories() {
    var c = prefs ? Object.assign({}, prefs) : null;
    if (gpc) (c = c || {}).advertising = false;
    return c;
  }
  function maySend() {
    return prefs ? granted(prefs) : !o.requireConsent;
  }
  function mayStore() {
    return maySend();
  }
  function adsAllowed() {
    var c = categories();
    return !(c && c.advertising === false);
  }

  // ---- identity ----

  function uuid() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (var i = 0, h = ''; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + (i == 3 || i == 5 || i == 7 || i == 9 ? '-' : '');
    return h;
  }
  // A server-set cookie (not capped by Safari's ITP) wins over the script's own copies.
  var aid = cookie(P + 'aid') || get('aid') || uuid();
  var userId = get('uid');
  var groupId = get('gid');
  function saveIdentity() {
    cookie(P + 'aid', aid, 365);
    set('aid', aid);
    set('uid', userId);
    set('gid', groupId);
  }

  // ---- sessions: {id: start ms, n: number, t: last activity ms, c: campaign} ----

  var landingCampaign = null;
  function touchSession(t) {
    var s = get('ses');
    if (!s || t - s.t > sessionMs || t < s.id) s = { id: t, n: (s ? s.n : 0) + 1, t: t };
    if (landingCampaign) s.c = landingCampaign;
    landingCampaign = null;
    s.t = Math.max(s.t, t);
    set('ses', s);
    return s;
  }

  // ---- landing URL: UTM parameters and ad click ids ----

  function campaignOf(search) {
    var q = new URLSearchParams(search), c = null;
    for (var k in UTM) {
      var v = q.get(k);
      if (v) (c = c || {})[UTM[k]] = v.slice(0, 500);
    }
    return c;
  }
  // Returns the stored click ids {name: [value, expiresAtMs]} updated with those in `search`.
  function captureClickIds(search, t, ids) {
    var q = new URLSearchParams(search);
    ids = Object.assign({}, ids);
    for (var k in CLICK_IDS) {
      var v = q.get(k);
      if (v && v.length <= 500) {
        ids[k] = [v, t + CLICK_IDS[k] * DAY];
        if (k == 'fbclid') ids.fbc = ['fb.1.' + t + '.' + v, t + 90 * DAY];
      }
    }
    var fbc = cookie('_fbc'), fbp = cookie('_fbp'); // left by an earlier Meta pixel, if any
    if (fbc && !ids.fbc) ids.fbc = [fbc, t + 90 * DAY];
    // fbp is first-party and renewed on every visit, like Meta's _fbp cookie.
    ids.fbp = [(ids.fbp && ids.fbp[0]) || fbp || 'fb.1.' + t + '.' + Math.floor(1e9 + Math.random() * 9e9), t + 90 * DAY];
    return ids;
  }
  function activeClickIds(ids, t) {
    var out = null;
    for (var k in ids) if (ids[k][1] > t) (out = out || {})[k] = ids[k][0];
    return out;
  }
  function landed(search, t) {
    landingCampaign = campaignOf(search) || landingCampaign;
    if (adsAllowed()) set('clk', captureClickIds(search, t, get('clk')));
  }

  // ---- engagement: visible time since the previous event ----

  var engaged = 0;
  var visibleSince = d.visibilityState == 'hidden' ? 0 : Date.now();
  function pauseEngagement(t) {
    if (visibleSince) engaged += Math.max(0, t - visibleSince);
    visibleSince = 0;
  }
  function takeEngagement(t) {
    var ms = engaged + (visibleSince ? Math.max(0, t - visibleSince) : 0);
    engaged = 0;
    if (visibleSince) visibleSince = t;
    return ms;
  }

  // ---- events ----

  var lastUrl = location.href.split('#')[0];
  var referrer = d.referrer;
  var callTime = 0; // the time of a call made before the script loaded, while it is replayed
  var queue = [];
  var sending = [];
  var timer = 0;
  var attempts = 0;
  var gone = false; // after pagehide only a beacon may send: a fetch started now could be cut off
  var sent = {}; // messageId -> when it was first sent without the answer being read (beacon, page left)
  var refused = ''; // why the server refused this source for good (401, 403): nothing more is sent

  function context(t) {
    var s = touchSession(t);
    var c = {
      library: { name: 'veil-sdk-js', version: VERSION },
      page: { path: location.pathname, referrer: referrer, search: location.search, title: d.title, url: lastUrl },
      locale: nav.language,
      screen: { width: screen.width, height: screen.height },
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      session: { id: s.id, number: s.n, engagementTimeMs: takeEngagement(t) }
    };
    if (s.c) c.campaign = s.c;
    var ids = adsAllowed() && activeClickIds(get('clk'), t);
    if (ids) c.clickIds = ids;
    var cat = categories();
    if (cat) c.consent = { categoryPreferences: cat };
    return c;
  }

  // Returns the event's messageId, or nothing when no event was made.
  function enqueue(type, fields) {
    if (refused || (prefs && !granted(prefs))) return; // refused by the server, or consent denied
    var t = callTime || Date.now();
    var e = Object.assign({ type: type, messageId: uuid(), timestamp: new Date(t).toISOString(), anonymousId: aid }, fields);
    if (userId && !e.userId) e.userId = userId;
    e.context = context(t);
    if (JSON.stringify(e).length > MAX_EVENT) return log(type + ' dropped: event larger than ' + MAX_EVENT + ' characters');
    queue.push(e);
    if (queue.length > maxQueue) {
      queue.splice(0, queue.length - maxQueue);
      log('queue full: oldest events dropped');
    }
    persist();
    schedule();
    return e.messageId;
  }

  function persist() {
    var s = {}, any = 0;
    queue.forEach(function (e) {
      if (sent[e.messageId]) any = s[e.messageId] = sent[e.messageId];
    });
    sent = s;
    set('q', queue.length ? queue : null);
    set('sent', any ? s : null);
  }
  // Marks events as sent with an outcome not (yet) known; the first such send counts.
  function mark(batch, t) {
    batch.forEach(function (e) {
      sent[e.messageId] = sent[e.messageId] || t;
    });
    persist();
  }

  // Takes events from the head of `events` while the batch stays under MAX_BATCH characters.
  function take(events) {
    var out = [], size = 0;
    for (var i = 0; i < events.length && out.length < 100; i++) {
      size += JSON.stringify(events[i]).length + 1;
      if (out.length && size > MAX_BATCH) break;
      out.push(events[i]);
    }
    return out;
  }
  function body(batch) {
    return JSON.stringify({ batch: batch, sentAt: new Date().toISOString(), writeKey: o.writeKey });
  }
  function remove(batch) {
    queue = queue.filter(function (e) {
      return batch.indexOf(e) < 0;
    });
    persist();
  }
  function backoff(n) {
    return Math.min(6e4, 1000 * Math.pow(2, n)) * (0.5 + Math.random() / 2);
  }

  function schedule(ms) {
    if (!timer && queue.length) timer = setTimeout(flush, ms == null ? flushMs : ms);
  }

  var flush = guard('flush', function () {
    clearTimeout(timer);
    timer = 0;
    if (gone || refused || sending.length || !queue.length || !maySend() || nav.onLine === false) return;
    var batch = (sending = take(queue));
    var payload = body(batch);
    var before = batch.map(function (e) {
      return sent[e.messageId];
    });
    // Until the answer is read, this send may have stored the events (the page can go away meanwhile).
    mark(batch, Date.now());
    function retry(r) {
      sending = [];
      if (r) {
        // The server answered that it stored nothing: only earlier sends may have.
        batch.forEach(function (e, i) {
          if (!before[i]) delete sent[e.messageId];
        });
        persist();
      }
      // A server that says when to come back (429/503 Retry-After, in seconds) is believed, up to an hour.
      var after = r && r.headers && +r.headers.get('Retry-After');
      schedule(after > 0 ? Math.min(after, 3600) * 1000 : backoff(attempts++));
    }
    Promise.resolve().then(function () {
      return fetch(endpoint, {
        method: 'POST',
        body: payload,
        // text/plain keeps the request "simple" (no CORS preflight); the write key travels in the body.
        headers: { 'Content-Type': 'text/plain' },
        credentials: o.credentials || 'same-origin',
        // keepalive lets the request outlive the page; hidden pages may be closed without a pagehide
        keepalive: payload.length < (d.visibilityState == 'hidden' ? 3e4 : 2e4)
      });
    }).then(guard('response', function (r) {
      // 408, 429 and 5xx are worth retrying; any other refusal would be refused again.
      if (r.status == 408 || r.status == 429 || r.status >= 500) return retry(r);
      if (r.status == 401 || r.status == 403) {
        // Final for every batch, not just this one: stop instead of sending each event to be refused.
        refused = r.status == 401 ? 'the write key is not known to Veil' : "this page's origin is not in the source's allowedOrigins";
        log('stopped sending: ' + refused + ' (HTTP ' + r.status + '); ' + queue.length + ' events dropped');
        queue = [];
        sending = [];
        return persist();
      }
      if (!r.ok) log('batch of ' + batch.length + ' refused: HTTP ' + r.status);
      sending = [];
      attempts = 0;
      remove(batch);
      schedule(0);
    }), function () {
      retry();
    });
  });

  // Sends what is not already in flight with sendBeacon, for a page that is being unloaded. A beacon's
  // answer is never read, so its events stay stored (marked as sent) for a later page to confirm.
  function beacon() {
    if (refused || !maySend() || !nav.sendBeacon || nav.onLine === false) return;
    var rest = queue.filter(function (e) {
      return sending.indexOf(e) < 0;
    });
    while (rest.length) {
      var batch = take(rest);
      if (!nav.sendBeacon(endpoint, body(batch))) break; // too large or refused by the browser
      mark(batch, Date.now());
      rest = rest.slice(batch.length);
    }
  }

  var hide = guard('hide', function (ev) {
    if (ev.type == 'pageshow') gone = false; // back from the back/forward cache
    if (ev.type != 'pagehide' && d.visibilityState != 'hidden') {
      visibleSince = visibleSince || Date.now();
      return schedule();
    }
    if (ev.type == 'pagehide') gone = !ev.persisted;
    pauseEngagement(Date.now());
    // Under a second stays pending and goes with the next event if the page becomes visible again.
    if (engaged >= 1000 && o.engagementEvent !== false) enqueue('track', { event: 'User Engagement', properties: {} });
    // Hidden: the page may come back, or be closed without a pagehide; a fetch's answer can still be read.
    if (ev.type == 'pagehide') beacon();
    else flush();
  });

  // ---- public API ----

  function props(p) {
    return p && typeof p == 'object' ? p : {};
  }
  var api = {
    page: function (name, properties, more) {
      var category;
      // Segment's page(category, name, properties) form
      if (typeof properties == 'string') (category = name), (name = properties), (properties = more);
      if (name && typeof name == 'object') (properties = name), (name = null);
      var f = { properties: props(properties) };
      if (name) f.name = String(name);
      if (category) f.category = String(category);
      return enqueue('page', f);
    },
    track: function (event, properties) {
      if (!event || typeof event != 'string') return log('track ignored: event name missing');
      return enqueue('track', { event: event, properties: props(properties) });
    },
    identify: function (id, traits) {
      if (id && typeof id == 'object') (traits = id), (id = null);
      if (id != null) userId = String(id);
      saveIdentity();
      return enqueue('identify', { traits: props(traits) });
    },
    group: function (id, traits) {
      if (id == null) return log('group ignored: groupId missing');
      groupId = String(id);
      saveIdentity();
      return enqueue('group', { groupId: groupId, traits: props(traits) });
    },
    alias: function (to, from) {
      if (to == null) return log('alias ignored: new id missing');
      var previous = from != null ? String(from) : userId || aid;
      userId = String(to);
      saveIdentity();
      return enqueue('alias', { previousId: previous, userId: userId });
    },
    reset: function () {
      userId = groupId = null;
      aid = uuid();
      set('ses', null);
      saveIdentity();
    },
    consent: function (choices) {
      var p = Object.assign({}, prefs);
      for (var k in choices) if (typeof choices[k] == 'boolean') p[k] = choices[k];
      prefs = p;
      set('consent', prefs, true);
      if (!granted(prefs)) {
        // Denied: drop what was collected and what identifies this browser.
        queue = [];
        sent = {};
        aid = uuid();
        userId = groupId = null;
        ['aid', 'uid', 'gid', 'ses', 'clk', 'q', 'sent'].forEach(function (k) {
          set(k, null, true);
        });
        cookie(P + 'aid', null, 0);
        return;
      }
      if (!adsAllowed()) set('clk', null);
      queue.forEach(function (e) {
        // Events held while consent was pending carry the decision that released them.
        if (!e.context.consent) e.context.consent = { categoryPreferences: categories() };
        if (!adsAllowed()) delete e.context.clickIds;
      });
      saveIdentity();
      set('ses', get('ses'));
      set('clk', get('clk'));
      persist();
      schedule();
    },
    ready: function (fn) {
      if (typeof fn == 'function') guard('ready callback', fn)(api);
    },
    flush: function () {
      flush();
    },
    loaded: true,
    version: VERSION
  };
  for (var name in api) if (typeof api[name] == 'function') api[name] = guard(name, api[name]);
  // Internals for the SDK's unit tests: the minified build drops this labelled block.
  TEST: if (w.__VEIL_TEST__) {
    api._ = { RESEND_MS: RESEND_MS, uuid: uuid, campaignOf: campaignOf, captureClickIds: captureClickIds, activeClickIds: activeClickIds, take: take, backoff: backoff, touchSession: touchSession, sessionMs: sessionMs };
  }

  // ---- start ----

  guard('start', function () {
    var t = Date.now();
    var saved = get('q'); // events a previous page could not deliver, or sent without learning the outcome
    sent = get('sent') || {};
    set('q', null);
    if (Array.isArray(saved)) {
      queue = saved.slice(-maxQueue).filter(function (e) {
        return !(t - sent[e.messageId] > RESEND_MS);
      });
      if (queue.length < Math.min(saved.length, maxQueue)) log('events sent over 20 hours ago and never confirmed: not sent again');
    }
    persist();
    saveIdentity(); // also renews the cookie's lifetime on every visit
    landed(location.search, t);
    w.veil = api;
    // The landing page view is dated no later than the first call queued by the snippet.
    callTime = stub[0] && stub[0][2] < t ? stub[0][2] : 0;
    if (o.autoPage !== false) api.page();
    callTime = 0;
    for (var i = 0; i < stub.length; i++) {
      var call = stub[i];
      if (call && api[call[0]] && call[0] != 'loaded') {
        callTime = call[2] || 0;
        api[call[0]].apply(api, call[1] || []);
        callTime = 0;
      }
    }
    if (o.autoPage !== false) {
      var route = guard('route', function () {
        var url = location.href.split('#')[0];
        if (url == lastUrl) return; // hash-only changes and replaceState to the same URL are not page views
        referrer = lastUrl;
        lastUrl = url;
        landed(location.search, Date.now());
        api.page();
      });
      ['pushState', 'replaceState'].forEach(function (m) {
        var original = history[m];
        history[m] = function () {
          var r = original.apply(this, arguments);
          setTimeout(route, 0); // after the router had a chance to set document.title
          return r;
        };
      });
      w.addEventListener('popstate', route);
    }
    d.addEventListener('visibilitychange', hide);
    w.addEventListener('pagehide', hide);
    w.addEventListener('pageshow', hide);
    w.addEventListener('online', function () {
      attempts = 0;
      flush();
    });
    schedule();
  })();
})(window, document, navigator);
