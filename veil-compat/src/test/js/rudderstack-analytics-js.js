// @rudderstack/analytics-js v3, the "bundled" build: its plugins (XhrQueue, BeaconQueue, ...) are inside the
// bundle instead of being fetched from RudderStack's CDN at run time.
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';

window.RudderAnalytics = RudderAnalytics;
