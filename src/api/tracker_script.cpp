// The tracker script served at GET /t.js, hand-written and kept here verbatim (no build step;
// docs/capture.md explains each part). tests/e2e/capture_smoke.sh checks that it parses.
#include "api/tracker_script.hpp"

namespace tandem::api {

std::string_view TrackerScript() {
  static constexpr std::string_view kScript =
      R"JS(/* Tandem tracker. Paste: <script src="https://TANDEM/t.js" data-key="SITE_KEY" async></script> */
(function (d, w, nav) {
  var s = d.currentScript;
  if (!s) return;
  var key = s.getAttribute('data-key'), base = new URL(s.src).origin, name = 'tandem_aid';
  var m = d.cookie.match(/(?:^|; )tandem_aid=([A-Za-z0-9._:-]{1,128})/), aid = m ? m[1] : '';
  var off = nav.doNotTrack === '1' || nav.globalPrivacyControl === true;
  function rid() {
    var r = new Uint8Array(16);
    w.crypto.getRandomValues(r);
    return Array.prototype.map.call(r, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }
  if (!off) {
    aid = aid || rid();
    d.cookie = name + '=' + aid + '; Max-Age=31536000; Path=/; SameSite=Lax' +
      (w.location.protocol === 'https:' ? '; Secure' : '');
  }
  var q = new URLSearchParams(w.location.search);
  function send(type, email) {
    if (off || !key || !aid) return;
    var body = JSON.stringify({
      key: key, type: type, event_id: rid(), anonymous_id: aid, email: email,
      url: w.location.href.slice(0, 2048), referrer: d.referrer.slice(0, 2048),
      title: d.title.slice(0, 512), utm_source: q.get('utm_source') || '',
      utm_medium: q.get('utm_medium') || '', utm_campaign: q.get('utm_campaign') || ''
    });
    var url = base + '/t/e';
    if (!(nav.sendBeacon && nav.sendBeacon(url, new Blob([body], { type: 'text/plain' })))) {
      w.fetch(url, { method: 'POST', body: body, keepalive: true, mode: 'cors' })['catch'](function () {});
    }
  }
  function input(f, n, v) {
    if (f.querySelector('input[name="' + n + '"]')) return;
    var i = d.createElement('input');
    i.type = n === '_hp' ? 'text' : 'hidden';
    i.name = n;
    i.value = v;
    if (n === '_hp') {
      i.tabIndex = -1;
      i.autocomplete = 'off';
      i.setAttribute('aria-hidden', 'true');
      i.style.cssText = 'position:absolute;left:-9999px;width:1px;height:1px';
    }
    f.appendChild(i);
  }
  function hook() {
    Array.prototype.forEach.call(d.querySelectorAll('form[data-tandem-form]'), function (f) {
      var id = f.getAttribute('data-tandem-form');
      if (id && !f.getAttribute('action')) f.action = base + '/f/' + encodeURIComponent(id);
      f.method = 'post';
      input(f, '_hp', '');
      if (aid && !off) input(f, '_tandem_aid', aid);
    });
  }
  w.tandem = { identify: function (email) { send('identify', String(email)); } };
  send('page_view');
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', hook); else hook();
})(document, window, navigator);
)JS";
  return kScript;
}

}  // namespace tandem::api
