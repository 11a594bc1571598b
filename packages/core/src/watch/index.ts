export { JsonObjectSplitter, WatchStreamSyntaxError, type SplitValue } from './jsonObjectSplitter.js';
export { watchEventsOf, watchEventsOfText, type WatchEvent } from './watchEvents.js';
