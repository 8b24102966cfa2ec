// @segment/analytics-next as sites install it from npm; the test page calls window.AnalyticsBrowser.load(...).
import { AnalyticsBrowser } from '@segment/analytics-next';

window.AnalyticsBrowser = AnalyticsBrowser;
